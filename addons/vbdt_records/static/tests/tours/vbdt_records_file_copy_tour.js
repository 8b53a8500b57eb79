/** @odoo-module */
// A clerk files a copy from its form in the real web client: "File This
// Copy", choose the open case file, "File It".
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vbdt_records_file_copy_tour", {
    steps: () => [
        {
            content: "File this copy",
            trigger: "button[name=action_records_file_copy]",
            run: "click",
        },
        {
            content: "The dialog names the copy",
            trigger: ".modal .o_field_widget[name=copy_id]:contains(/SY)",
        },
        {
            content: "Look the case file up by its code",
            trigger: ".modal .o_field_widget[name=file_id] input",
            run: "edit 07.TOUR",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains(07.TOUR)",
            run: "click",
        },
        {
            content: "File it",
            trigger: ".modal footer button:contains(File It)",
            run: "click",
        },
        {
            content: "The dialog closes, back on the copy",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=name]:contains(/SY)",
        },
    ],
});
