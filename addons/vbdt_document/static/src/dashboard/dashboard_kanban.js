/** @odoo-module */
// The dashboard reads its figures again on its own while it stays open. It
// reads the materialized view (a handful of rows, never the documents), which
// the scheduled action recomputes; so a short interval costs next to nothing.
import { onWillUnmount } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { KanbanController } from "@web/views/kanban/kanban_controller";
import { kanbanView } from "@web/views/kanban/kanban_view";

export const DASHBOARD_RELOAD_MS = 5 * 60 * 1000;

export class DashboardKanbanController extends KanbanController {
    setup() {
        super.setup();
        const timer = setInterval(() => this.model.load(), DASHBOARD_RELOAD_MS);
        onWillUnmount(() => clearInterval(timer));
    }
}

registry.category("views").add("vbdt_dashboard_kanban", {
    ...kanbanView,
    Controller: DashboardKanbanController,
});
