/** @odoo-module */
// Present → direct and assign → complete, each step by its role.
import { registry } from "@web/core/registry";

function statusIs(label) {
    return {
        content: `The document is now ${label}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${label})`,
    };
}

registry.category("web_tour.tours").add("vbdt_workflow_present_tour", {
    steps: () => [
        {
            content: "Present to the leader",
            trigger: "button[name=action_present]",
            run: "click",
        },
        statusIs("Presented to Leader"),
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_direct_tour", {
    steps: () => [
        {
            content: "Direct and assign",
            trigger: "button[name=action_open_direction_wizard]:contains(Direct and Assign)",
            run: "click",
        },
        {
            content: "Direction",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Giao chuyên viên xử lý",
        },
        {
            content: "Lead person",
            trigger: ".modal .o_field_widget[name=lead_user_id] input",
            run: "edit tour_specialist",
        },
        {
            content: "Pick the lead person",
            trigger: ".ui-menu-item-wrapper:contains(tour_specialist)",
            run: "click",
        },
        {
            content: "Assign",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        statusIs("Assigned"),
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_complete_tour", {
    steps: () => [
        {
            content: "Complete",
            trigger: "button[name=action_open_handling_wizard]:contains(Complete)",
            run: "click",
        },
        {
            content: "Result",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Đã báo cáo",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        statusIs("Done"),
    ],
});
