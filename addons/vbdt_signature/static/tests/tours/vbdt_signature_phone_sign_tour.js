/** @odoo-module */
// The leader signs a draft on a phone (390x844, touch) with a certificate kept
// on the server (PKCS#12 or HSM: no remote provider, no agent). TestPhoneSignTour
// runs it; each `run` step is one tap (taps per flow: vbdt_workflow's USAGE).
import { registry } from "@web/core/registry";

function mainFileBadge(label) {
    return {
        content: `The main file's card reads ${label}`,
        trigger: `.o_field_widget[name=file_ids] .o_kanban_record:contains(quyet_dinh.pdf) .badge:contains(${label})`,
    };
}

// From the home page to the draft, through the queue (with vbdt_workflow).
registry.category("web_tour.tours").add("vbdt_signature_phone_queue_tour", {
    steps: () => [
        {
            content: "Open the queue Waiting for My Signature",
            trigger: ".o_vbdt_home .o_kanban_record:has(.o_vbdt_queue_count[data-queue=to_sign_mine])",
            run: "click",
        },
        {
            content: "Open the draft's card",
            trigger: ".o_vbdt_queue_kanban .o_kanban_record:contains(Về việc thử nghiệm)",
            run: "click",
        },
        mainFileBadge("Unsigned"),
    ],
});

registry.category("web_tour.tours").add("vbdt_signature_phone_sign_tour", {
    steps: () => [
        mainFileBadge("Unsigned"),
        {
            content: "Sign digitally: a tap in the phone bar, then on the confirmation",
            trigger: ".o_vbdt_phone_sign button[name=action_sign_person_confirm]",
            run: "click",
        },
        {
            content: "The confirmation says what is signed and as whom: sign",
            trigger: ".modal-footer button[name=action_sign]",
            run: "click",
        },
        mainFileBadge("Incomplete"),
        {
            content: "Signed: the button is gone",
            trigger: "body:not(:has(.o_vbdt_phone_sign button[name=action_sign_person_confirm]))",
        },
    ],
});
