/** @odoo-module */
// Follows a remote signature on its session form: asks the server every few
// seconds where the request stands (the server asks the provider), shows the
// provider's message and the time left, and, for services that need one,
// lets the signer type their one-time code or PIN (sent once, never kept).
import { Component, onMounted, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export const POLL_MS = 3000;

export class RemoteStatusField extends Component {
    static template = "vbdt_signature.RemoteStatusField";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({
            status: null,
            deadline: 0,
            now: Date.now(),
            code: "",
            codeError: "",
            sending: false,
            offline: false,
        });
        this.busy = false;
        onWillStart(() => this.refresh());
        onMounted(() => {
            this.clock = setInterval(() => (this.state.now = Date.now()), 1000);
            this.poller = setInterval(() => this.refresh(), POLL_MS);
        });
        onWillUnmount(() => {
            clearInterval(this.clock);
            clearInterval(this.poller);
        });
    }

    get sessionId() {
        return this.props.record.resId;
    }

    get status() {
        return this.state.status;
    }

    get pending() {
        return this.status?.state === "pending";
    }

    get waitingForCode() {
        return this.pending && this.status.outcome === "code";
    }

    get badgeClass() {
        const outcome = this.status?.outcome;
        if (outcome === "signed") {
            return "text-bg-success";
        }
        if (outcome === "waiting" || outcome === "code") {
            return "text-bg-info";
        }
        return "text-bg-danger";
    }

    get secondsLeft() {
        return Math.max(0, Math.round((this.state.deadline - this.state.now) / 1000));
    }

    get countdown() {
        const left = this.secondsLeft;
        const minutes = Math.floor(left / 60);
        const seconds = String(left % 60).padStart(2, "0");
        return `${minutes}:${seconds}`;
    }

    get codeLabel() {
        return this.status?.code_kind === "pin"
            ? _t("PIN of your signing certificate")
            : _t("One-time code (6 digits) from your authenticator app");
    }

    async refresh() {
        if (this.busy || !this.sessionId || (this.status && !this.pending)) {
            return;
        }
        this.busy = true;
        try {
            const status = await rpc(
                `/vbdt_signature/remote/status/${this.sessionId}`,
                {},
                { silent: true }
            );
            this.state.offline = false;
            await this.received(status);
        } catch {
            this.state.offline = true;
        } finally {
            this.busy = false;
        }
    }

    async received(status) {
        const wasPending = this.pending;
        this.state.deadline = Date.now() + status.seconds_left * 1000;
        this.state.status = status;
        if (wasPending && status.state !== "pending") {
            // the form's buttons (Send Again, Close) follow the new state
            await this.props.record.load();
        }
    }

    async submitCode(ev) {
        ev.preventDefault();
        if (this.state.sending) {
            return;
        }
        this.state.sending = true;
        this.state.codeError = "";
        const code = this.state.code;
        this.state.code = "";
        try {
            const status = await rpc(`/vbdt_signature/remote/code/${this.sessionId}`, {
                code,
            });
            this.state.codeError = status.code_error || "";
            await this.received(status);
        } finally {
            this.state.sending = false;
        }
    }
}

export const remoteStatusField = {
    component: RemoteStatusField,
    displayName: _t("Remote Signature Status"),
    supportedTypes: ["selection"],
};

registry.category("fields").add("vbdt_remote_status", remoteStatusField);
