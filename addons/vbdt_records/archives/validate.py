"""Validation of a CSIP package before it leaves, and again on arrival.

- METS.xml against the METS 1.12 schema with the DILCIS CSIP/SIP extension
  schemas, and PREMIS against PREMIS 3.0 (``xmlschema``; every schema is
  shipped in ``schemas/``: nothing is fetched);
- the E-ARK CSIP and SIP 2.1 Schematron rules shipped by the E-ARK Python
  validator (``eark-validator``, Apache 2.0, rules copied in
  ``schemas/schematron``), run with lxml as that validator runs them, its
  vocabulary placeholders filled from the shipped vocabularies instead of
  the network;
- every file named in METS exists, with its size and SHA-256, and every
  file of the package is named in METS;
- ZIP paths stay inside one root folder.

Reading is bounded: entries are hashed in chunks, XML is parsed without
network access or entity expansion."""

from __future__ import annotations

import hashlib
import zipfile
from functools import cache
from pathlib import Path, PurePosixPath

import xmlschema
from lxml import etree
from lxml.isoschematron import Schematron

from .csip import CHUNK, METS_ENTRY, METS_NS, PRESERVATION_ENTRY, XLINK_NS

SCHEMAS = Path(__file__).parent / "schemas"
VOCABULARIES = {
    "@TYPE": "CSIPVocabularyContentCategory.xml",
    "@csip:CONTENTINFORMATIONTYPE": "CSIPVocabularyContentInformationType.xml",
    "@csip:OAISPACKAGETYPE": "CSIPVocabularyOAISPackageType.xml",
    "@STATUS": "CSIPVocabularyStatus.xml",
}
# Rules of the shipped set that no package can satisfy: SIP14 asks the
# software CREATOR agent's note for an unprefixed NOTETYPE="IDENTIFICATIONCODE"
# (not allowed by mets.xsd) while CSIP15/CSIP16 ask the same single note for
# csip:NOTETYPE="SOFTWARE VERSION". The package follows CSIP and names the
# submitting agency as E-ARK SIP 2.1 says (ROLE="OTHER", OTHERROLE="SUBMITTER").
CONTRADICTORY_RULES = {"SIP14"}
# METS and PREMIS files of a real hand-over stay far below this.
MAX_XML_BYTES = 512 * 1024 * 1024
NS = {"mets": METS_NS, "xlink": XLINK_NS}
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True
)


@cache
def _mets_schema():
    return xmlschema.XMLSchema(
        [
            str(SCHEMAS / "mets.xsd"),
            str(SCHEMAS / "DILCISExtensionMETS.xsd"),
            str(SCHEMAS / "DILCISExtensionSIPMETS.xsd"),
        ],
        locations={"http://www.w3.org/1999/xlink": str(SCHEMAS / "xlink.xsd")},
        allow="local",
    )


@cache
def _premis_schema():
    return xmlschema.XMLSchema(str(SCHEMAS / "premis-v3-0.xsd"), allow="local")


def _vocabulary_test(attribute, file_name):
    terms = etree.parse(str(SCHEMAS / "vocabs" / file_name), PARSER).iterfind(
        ".//{*}Term"
    )
    return " or ".join(f"({attribute} = '{term.text}')" for term in terms)


@cache
def _schematron_rules():
    tests = {
        f"{attribute}_vocabulary_test": _vocabulary_test(attribute, name)
        for attribute, name in VOCABULARIES.items()
    }
    mimetypes = (SCHEMAS / "vocabs" / "IANA.txt").read_text().split()
    tests["@MIMETYPE_IANA_test"] = " or ".join(
        f"(@MIMETYPE = '{mimetype}')" for mimetype in mimetypes
    )
    rules = []
    for path in sorted((SCHEMAS / "schematron").glob("*/*.xml")):
        text = path.read_text()
        for name, test in tests.items():
            text = text.replace(name, test)
        rules.append(
            (
                f"{path.parent.name}/{path.name}",
                Schematron(etree.XML(text.encode(), PARSER), store_report=True),
            )
        )
    return rules


def schematron_errors(mets_tree):
    """Failed E-ARK rules of role ERROR (warnings are advice)."""
    errors = []
    for name, rules in _schematron_rules():
        rules.validate(mets_tree)
        for failed in rules.validation_report.iterfind(
            "{http://purl.oclc.org/dsdl/svrl}failed-assert"
        ):
            if (
                failed.get("role", "ERROR") == "ERROR"
                and failed.get("id") not in CONTRADICTORY_RULES
            ):
                text = " ".join(failed.findtext("{*}text", "").split())[:200]
                errors.append(f"{name} {failed.get('id')}: {text}")
    return errors


def _sha256(archive, name):
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as entry:
        while chunk := entry.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _parse(archive, name):
    if archive.getinfo(name).file_size > MAX_XML_BYTES:
        raise ValueError(f"{name} is too large")
    with archive.open(name) as entry:
        return etree.parse(entry, PARSER)


def validate_package(path) -> list[str]:
    """Problems found in the package at ``path``; empty when it is valid."""
    problems = []
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        return [f"not a ZIP package: {error}"]
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        roots = {PurePosixPath(name).parts[0] for name in names}
        unsafe = [
            name
            for name in names
            if name.startswith("/") or ".." in PurePosixPath(name).parts or "\\" in name
        ]
        if unsafe:
            return [f"unsafe paths: {unsafe[:5]}"]
        if len(roots) != 1:
            return [f"the package must have one root folder, found {sorted(roots)[:5]}"]
        root = roots.pop()
        mets_name = f"{root}/{METS_ENTRY}"
        if mets_name not in names:
            return ["METS.xml is missing at the package root"]
        mets = _parse(archive, mets_name)
        if mets.getroot().get("OBJID") != root:
            problems.append("METS OBJID differs from the package root folder")
        problems += [
            f"METS schema: {error.reason} at {error.path}"
            for error in list(_mets_schema().iter_errors(mets))[:20]
        ]
        problems += schematron_errors(mets)
        problems += _check_references(archive, root, mets, names)
        premis_name = f"{root}/{PRESERVATION_ENTRY}"
        if premis_name in names:
            premis = _parse(archive, premis_name)
            problems += [
                f"PREMIS schema: {error.reason} at {error.path}"
                for error in list(_premis_schema().iter_errors(premis))[:20]
            ]
        else:
            problems.append("PREMIS preservation metadata is missing")
    return problems


def _check_references(archive, root, mets, names):
    problems = []
    referenced = {f"{root}/{METS_ENTRY}"}
    located = []
    for element in mets.iterfind(".//mets:file", NS):
        location = element.find("mets:FLocat", NS)
        href = location.get(f"{{{XLINK_NS}}}href") if location is not None else None
        located.append((element, href))
    for element in mets.iterfind(".//mets:mdRef", NS):
        located.append((element, element.get(f"{{{XLINK_NS}}}href")))
    for element, href in located:
        name = f"{root}/{href}"
        referenced.add(name)
        if not href or name not in names:
            problems.append(f"missing file: {href}")
            continue
        digest, size = _sha256(archive, name)
        if (
            element.get("CHECKSUMTYPE") != "SHA-256"
            or element.get("CHECKSUM") != digest
        ):
            problems.append(f"SHA-256 mismatch: {href}")
        if element.get("SIZE") != str(size):
            problems.append(f"size mismatch: {href}")
    unlisted = sorted(set(names) - referenced)
    if unlisted:
        problems.append(f"files not described in METS: {unlisted[:5]}")
    return problems
