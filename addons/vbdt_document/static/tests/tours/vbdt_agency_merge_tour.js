/** @odoo-module */
// The system administrator merges two communes of the demo with the lifecycle
// wizard in the real web client: choose the commune that ends and the one it
// merges into, read the preview (codes, registers, units, open work), apply,
// confirm, and land on the change carried over.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vbdt_agency_merge_tour", {
    url: "/odoo/action-vbdt_document.vbdt_agency_change_action",
    steps: () => [
        {
            content: "Open the lifecycle wizard",
            trigger: ".o_control_panel button:contains(New Change)",
            run: "click",
        },
        {
            content: "Merge into another agency",
            trigger: ".modal .o_field_widget[name=operation] input[data-value=merge]",
            run: "click",
        },
        {
            content: "The commune that ends",
            trigger: ".modal .o_field_widget[name=agency_ids] input",
            run: "edit Xuân Viên",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains(Xuân Viên)",
            run: "click",
        },
        {
            content: "The commune it merges into",
            trigger: ".modal .o_field_widget[name=successor_id] input",
            run: "edit Tất Thắng",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains(Tất Thắng)",
            run: "click",
        },
        {
            content: "Leave the field (the preview follows)",
            trigger: ".modal .o_field_widget[name=date_effective] input",
            run: "click",
        },
        {
            content: "The preview names the codes that become aliases of the successor",
            trigger:
                ".modal .o_field_widget[name=preview]:contains(stay as aliases of UBND xã Tất Thắng)",
        },
        {
            content: "...the registers that close and the units that move",
            trigger:
                ".modal .o_field_widget[name=preview]:contains(registers close):contains(units move to UBND xã Tất Thắng)",
        },
        {
            content: "Apply",
            trigger: ".modal-footer button[name=action_apply]",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal:not(.o_inactive_modal) .modal-footer .btn-primary:contains(Ok)",
            run: "click",
        },
        {
            content: "The change is carried over (effective today)",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Carried Over)",
        },
    ],
});
