/** @odoo-module */
// A clerk files an issued document in the real web client: open the case
// file, add the document on the Contents tab, save, and close the file.
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("vbdt_records_file_tour", {
    url: "/odoo/ho-so",
    steps: () => [
        {
            content: "Open the case file",
            trigger: ".o_data_row td[name=code]:contains(09.TOUR)",
            run: "click",
        },
        {
            content: "Add an item",
            trigger: ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Look the issued document up by its number",
            trigger: ".o_field_widget[name=line_ids] .o_field_widget[name=document_id] input",
            run: "edit Tour",
        },
        {
            content: "Pick it",
            trigger: ".ui-menu-item-wrapper:contains(Tour)",
            run: "click",
        },
        ...stepUtils.saveForm(),
        {
            content: "The document is item 1",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td[name=ordinal]:contains(1)",
        },
        {
            content: "Close the file",
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            content: "The file is closed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Closed)",
        },
    ],
});
