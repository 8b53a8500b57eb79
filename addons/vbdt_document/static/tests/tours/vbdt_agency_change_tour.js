/** @odoo-module */
// The system administrator renames an agency with the lifecycle wizard in the
// real web client: choose the operation and the agency, read the preview,
// apply, confirm, and land on the change carried over.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vbdt_agency_change_tour", {
    url: "/odoo/action-vbdt_document.vbdt_agency_change_action",
    steps: () => [
        {
            content: "Open the lifecycle wizard",
            trigger: ".o_control_panel button:contains(New Change)",
            run: "click",
        },
        {
            content: "Rename",
            trigger: ".modal .o_field_widget[name=operation] input[data-value=rename]",
            run: "click",
        },
        {
            content: "The agency",
            trigger: ".modal .o_field_widget[name=agency_ids] input",
            run: "edit Sở Tour",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains(Sở Tour)",
            run: "click",
        },
        {
            content: "Its new name",
            trigger: ".modal .o_field_widget[name=new_name] input",
            run: "edit Sở Tour và Số hóa",
        },
        {
            content: "Leave the field (the preview follows)",
            trigger: ".modal .o_field_widget[name=date_effective] input",
            run: "click",
        },
        {
            content: "The preview says what will happen",
            trigger: ".modal .o_field_widget[name=preview]:contains(Sở Tour và Số hóa)",
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
