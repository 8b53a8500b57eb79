/** @odoo-module */
// A leader's day on a phone (390x844, touch): TestPhoneTours runs each flow at
// that viewport. Every step with `run: "click"` or `run: "edit ..."` is one tap
// (typing counts as the tap on the field): the taps per flow are listed in
// readme/USAGE.md.
import { registry } from "@web/core/registry";

const PHONE = "body:has(.o_action_manager)";

export function phoneStatusIs(label) {
    // narrow status bars fold the states into one dropdown showing the current one
    return {
        content: `The document is now ${label}`,
        trigger:
            `.o_statusbar_status .o_arrow_button_current:contains(${label}), ` +
            `.o_statusbar_status .dropdown-toggle:not(.o_arrow_button):contains(${label})`,
    };
}

function queueCount(key, count) {
    return {
        content: `Queue ${key} counts ${count}`,
        trigger: `.o_vbdt_home .o_vbdt_queue_count[data-queue=${key}]:contains(${count})`,
    };
}

function openQueue(key) {
    return {
        content: `Open the queue ${key}`,
        trigger: `.o_vbdt_home .o_kanban_record:has(.o_vbdt_queue_count[data-queue=${key}])`,
        run: "click",
    };
}

function openCard(subject) {
    return {
        content: `Open ${subject} from the queue's cards`,
        trigger: `.o_vbdt_queue_kanban .o_kanban_record:contains(${subject})`,
        run: "click",
    };
}

function phoneButton(name, label) {
    return {
        content: `Tap ${label} in the phone bar`,
        trigger: `.o_vbdt_phone_actions button[name=${name}]:contains(${label})`,
        run: "click",
    };
}

function backToQueue() {
    return {
        content: "Back to the queue (the phone's back arrow)",
        trigger: ".o_back_button",
        run: "click",
    };
}

registry.category("web_tour.tours").add("vbdt_workflow_phone_queues_tour", {
    steps: () => [
        {
            content: "The phone layout is on (no desktop breadcrumbs, small-screen web client)",
            trigger: `${PHONE} .o_vbdt_home`,
        },
        queueCount("presented_mine", 1),
        queueCount("review_mine", 2),
        openQueue("presented_mine"),
        {
            content: "The queue opens as cards, not as a list",
            trigger: ".o_vbdt_queue_kanban .o_kanban_record",
        },
        openCard("V/v kết nối, liên thông văn bản"),
        {
            content: "The main file is a card",
            trigger: ".o_field_widget[name=file_ids] .o_kanban_record:contains(cong_van_den.pdf)",
            run: "click",
        },
        {
            content: "Its PDF is shown in the dialog",
            trigger: ".modal .o_field_pdf_viewer iframe",
        },
        {
            content: "The PDF viewer has loaded the file",
            trigger: ".modal .o_field_pdf_viewer iframe:iframe .page",
        },
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_phone_direct_tour", {
    steps: () => [
        openQueue("presented_mine"),
        openCard("V/v kết nối, liên thông văn bản"),
        phoneButton("action_open_direction_wizard", "Direct and Assign"),
        {
            content: "Direction",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Giao Văn phòng chủ trì, báo cáo trước hạn",
        },
        {
            content: "Lead person: a phone opens the picker as a list of cards",
            trigger: ".modal .o_field_widget[name=lead_user_id] input",
            run: "click",
        },
        {
            content: "The picker offers the agency's staff only",
            trigger: ".modal .o_kanban_record:contains(Phạm Văn Ngoại)",
        },
        {
            content: "... not another agency's clerk",
            trigger: ".modal:has(.o_kanban_record):not(:has(.o_kanban_record:contains(Đỗ Văn Khác)))",
        },
        {
            content: "Pick the lead person",
            trigger: ".modal .o_kanban_record:contains(Nguyễn Thị Chuyên)",
            run: "click",
        },
        {
            content: "The lead person is set",
            trigger: ".modal .o_field_widget[name=lead_user_id] input:value(Nguyễn Thị Chuyên)",
        },
        {
            content: "Assign",
            trigger: ".modal button[name=action_confirm]:contains(Assign)",
            run: "click",
        },
        phoneStatusIs("Assigned"),
        {
            content: "No more decision waits in the phone bar",
            trigger: "body:not(:has(.o_vbdt_phone_actions button[name=action_open_direction_wizard]))",
        },
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_phone_approve_tour", {
    steps: () => [
        openQueue("review_mine"),
        openCard("Về việc họp giao ban"),
        phoneButton("action_open_review_wizard", "Approve"),
        {
            content: "Confirm the approval",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        phoneStatusIs("To Sign"),
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_phone_return_tour", {
    steps: () => [
        openQueue("review_mine"),
        openCard("Về việc mua sắm"),
        phoneButton("action_open_review_wizard", "Return / Reject / Forward"),
        {
            content: "Why it goes back",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Bổ sung dự toán kinh phí",
        },
        {
            content: "Confirm the return",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        phoneStatusIs("Draft"),
        backToQueue(),
        {
            content: "Back on the queue's cards",
            trigger: ".o_vbdt_queue_kanban",
        },
    ],
});
