"""The secret box core: AES-256-GCM tokens with key ids, purposes and rotation."""

import pytest
from secretbox import (
    CorruptTokenError,
    NoKeyError,
    SecretBox,
    UnknownKeyError,
    WeakKeyError,
)

KEY = "k" * 32
OTHER = "o" * 32
PURPOSE = "vbdt.hub.system.secret"


def test_round_trip_is_not_clear_and_is_randomised():
    box = SecretBox(KEY)
    first, second = (
        box.encrypt("top-secret", PURPOSE),
        box.encrypt("top-secret", PURPOSE),
    )
    assert "top-secret" not in first
    assert first != second  # fresh nonce per token
    assert first.startswith(f"vbdt1${box.key_id}$")
    assert box.decrypt(first, PURPOSE) == b"top-secret"
    assert (
        box.decrypt(box.encrypt(b"\x00\xffbinary", PURPOSE), PURPOSE)
        == b"\x00\xffbinary"
    )


def test_key_id_reveals_nothing_and_is_stable():
    assert SecretBox(KEY).key_id == SecretBox(KEY).key_id
    assert SecretBox(KEY).key_id != SecretBox(OTHER).key_id
    assert KEY[:8] not in SecretBox(KEY).key_id


@pytest.mark.parametrize("current", [None, ""])
def test_no_key_refuses(current):
    with pytest.raises(NoKeyError):
        SecretBox(current)


def test_short_key_refused():
    with pytest.raises(WeakKeyError):
        SecretBox("short")


def test_other_key_cannot_open():
    token = SecretBox(KEY).encrypt("x", PURPOSE)
    with pytest.raises(UnknownKeyError):
        SecretBox(OTHER).decrypt(token, PURPOSE)


def test_purpose_is_bound():
    box = SecretBox(KEY)
    token = box.encrypt("x", PURPOSE)
    with pytest.raises(CorruptTokenError):
        box.decrypt(token, "vbdt.exchange.transport.secret_sealed")


@pytest.mark.parametrize(
    "token",
    ["", "gAAAAAB-fernet", "vbdt1$abc", "vbdt1$00000000$!!!", "vbdt1$00000000$AAAA"],
)
def test_garbage_is_refused_cleanly(token):
    with pytest.raises((CorruptTokenError, UnknownKeyError)):
        SecretBox(KEY).decrypt(token, PURPOSE)


def test_tampered_token_refused():
    box = SecretBox(KEY)
    token = box.encrypt("secret", PURPOSE)
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(CorruptTokenError):
        box.decrypt(tampered, PURPOSE)


def test_rotation_with_retired_key():
    old_token = SecretBox(OTHER).encrypt("secret", PURPOSE)
    box = SecretBox(KEY, retired=[OTHER])
    assert box.decrypt(old_token, PURPOSE) == b"secret"
    assert box.needs_rotation(old_token)
    new_token = box.rotate(old_token, PURPOSE)
    assert not box.needs_rotation(new_token)
    assert SecretBox(KEY).decrypt(new_token, PURPOSE) == b"secret"
