/** @odoo-module */
// Draft → approve → sign → issue, each step by the person whose turn it is.
// The test opens the document form and runs one of these tours per user.
import { registry } from "@web/core/registry";

function statusIs(label) {
    return {
        content: `The document is now ${label}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${label})`,
    };
}

registry.category("web_tour.tours").add("vbdt_workflow_submit_tour", {
    steps: () => [
        {
            content: "Submit the draft for approval",
            trigger: "button[name=action_review_submit]",
            run: "click",
        },
        statusIs("Under Review"),
        {
            content: "The drafter sees who holds the draft",
            trigger: ".alert-info:contains(Currently with)",
        },
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_approve_tour", {
    steps: () => [
        {
            content: "Approve",
            trigger: "button[name=action_open_review_wizard]:contains(Approve)",
            run: "click",
        },
        {
            content: "Add a comment",
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Đồng ý",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        statusIs("To Sign"),
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_sign_tour", {
    steps: () => [
        {
            content: "The banner says what is signed and as whom",
            trigger: ".alert .o_field_widget[name=review_sign_summary]:contains(You sign)",
        },
        {
            content: "Sign",
            trigger: "button[name=action_review_sign]",
            run: "click",
        },
        {
            content: "Confirm the signature",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "A message says what happens next",
            trigger: ".o_notification:contains(the clerk will number and issue it)",
        },
        statusIs("Signed"),
    ],
});

registry.category("web_tour.tours").add("vbdt_workflow_issue_tour", {
    steps: () => [
        {
            content: "Issue",
            trigger: "button[name=action_issue]",
            run: "click",
        },
        {
            content: "Confirm the number allocation",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        statusIs("Issued"),
    ],
});
