/** @odoo-module */
// A clerk registers a paper document in the real web client: create it from
// the incoming list, fill the metadata, register it and see its arrival number.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("vbdt_document_register_tour", {
    url: "/odoo/van-ban-den",
    steps: () => [
        {
            content: "Create an incoming document",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Summary",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit V/v tổ chức hội nghị chuyển đổi số",
        },
        {
            content: "Number and notation",
            trigger: ".o_field_widget[name=code] input",
            run: "edit 125/BTTTT-CĐSQG",
        },
        {
            content: "Sender",
            trigger: ".o_field_widget[name=sender_agency_id] input",
            run: "edit Bộ Tour",
        },
        {
            content: "Pick the sender",
            trigger: ".ui-menu-item-wrapper:contains(Bộ Tour)",
            run: "click",
        },
        {
            content: "Document date",
            trigger: ".o_field_widget[name=document_date] input",
            run: "edit 11/20/2026",
        },
        ...stepUtils.saveForm(),
        {
            content: "Register it",
            trigger: "button[name=action_register]",
            run: "click",
        },
        {
            content: "It is registered with an arrival number",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Registered)",
        },
        {
            trigger: ".o_field_widget[name=arrival_number]:contains(1)",
        },
    ],
});
