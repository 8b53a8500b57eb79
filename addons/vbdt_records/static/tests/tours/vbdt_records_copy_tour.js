/** @odoo-module */
// A clerk makes a copy (sao y) of a registered document in the real web
// client, then a sao lục of that copy.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("vbdt_records_copy_tour", {
    steps: () => [
        {
            content: "Make a copy of the document",
            trigger: "button[name=action_records_make_copy]",
            run: "click",
        },
        {
            content: "A full copy (sao y) is proposed",
            trigger: ".modal .o_field_widget[name=form] select",
            run: "select \"sao_y\"",
        },
        {
            content: "Make it",
            trigger: ".modal button[name=action_make_copy]",
            run: "click",
        },
        {
            content: "The copy opens with its number",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(/SY)",
        },
        {
            content: "Make a sao lục of this copy",
            trigger: "button[name=action_make_sao_luc]",
            run: "click",
        },
        {
            content: "The sao lục form names the copy",
            trigger: ".modal .o_field_widget[name=source_copy_id]:contains(/SY)",
        },
        {
            content: "Make the sao lục",
            trigger: ".modal button[name=action_make_copy]",
            run: "click",
        },
        {
            content: "The sao lục opens with its number and its source",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(/SL)",
        },
        {
            content: "It names the copy it was made from",
            trigger: ".o_form_view .o_field_widget[name=source_copy_id]:contains(/SY)",
        },
    ],
});
