/** @odoo-module */
// The work queues in the systray: the total of the user's queues on the icon,
// each queue with its live count in the dropdown. The counts come from one
// server call (one grouped read per queue, under the user's own rules); they
// are read again when the user moves to another screen (at most every
// MIN_RELOAD_MS), when the menu opens, and every REFRESH_MS meanwhile.
import { Component, onWillStart, onWillUnmount, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";

const REFRESH_MS = 2 * 60 * 1000;
const MIN_RELOAD_MS = 10 * 1000;

export class WorkQueueMenu extends Component {
    static components = { Dropdown, DropdownItem };
    static props = {};
    static template = "vbdt_document.WorkQueueMenu";

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ queues: [] });
        this.loadedAt = 0;
        onWillStart(() => this.load());
        const timer = setInterval(() => this.load(), REFRESH_MS);
        onWillUnmount(() => clearInterval(timer));
        useBus(this.env.bus, "ACTION_MANAGER:UI-UPDATED", () => {
            if (Date.now() - this.loadedAt > MIN_RELOAD_MS) {
                this.load();
            }
        });
    }

    get total() {
        return this.state.queues.reduce((sum, queue) => sum + queue.count, 0);
    }

    async load() {
        this.loadedAt = Date.now();
        this.state.queues = await this.orm.silent.call(
            "vbdt.work.queue",
            "vbdt_menu_counts",
            []
        );
    }

    async openQueue(queue) {
        const action = await this.orm.call("vbdt.work.queue", "action_open", [[queue.id]]);
        await this.action.doAction(action, { clearBreadcrumbs: true });
    }

    openHome() {
        return this.action.doAction("vbdt_document.vbdt_work_queue_action_home", {
            clearBreadcrumbs: true,
        });
    }
}

registry
    .category("systray")
    .add("vbdt_document.work_queue_menu", { Component: WorkQueueMenu }, { sequence: 40 });
