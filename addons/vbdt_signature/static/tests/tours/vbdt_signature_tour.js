/** @odoo-module */
// The leader signs the draft digitally; the clerk issues it, which stamps the
// number and date and applies the seal. The test opens the document form and
// runs one tour per user, then checks the PDF itself.
import { registry } from "@web/core/registry";

function mainFileBadge(label) {
    return {
        content: `The main file is now ${label}`,
        trigger: `.o_field_widget[name=file_ids] td[name=signature_label]:contains(${label})`,
    };
}

registry.category("web_tour.tours").add("vbdt_signature_sign_tour", {
    steps: () => [
        mainFileBadge("Not signed yet, waiting for the signer"),
        {
            content: "Sign the main text digitally",
            trigger: "button[name=action_sign_person_confirm]",
            run: "click",
        },
        {
            content: "The confirmation says what is signed and as whom",
            trigger: ".modal .o_field_widget[name=file_name]:contains(quyet_dinh.pdf)",
        },
        {
            content: "Sign",
            trigger: ".modal-footer button[name=action_sign]",
            run: "click",
        },
        {
            content: "Signing says it succeeded",
            trigger: ".o_notification:contains(It now waits for the clerk to issue it)",
        },
        mainFileBadge("Signed, waiting for the clerk to issue"),
        {
            content: "The header says the same",
            trigger: ".o_form_statusbar .o_field_widget[name=signature_label]:contains(waiting for the clerk)",
        },
        {
            content: "The person signature is listed as valid",
            trigger: ".o_notebook a:contains(Signature Checks)",
            run: "click",
        },
        {
            content: "Person signature row",
            trigger: ".o_field_widget[name=signature_check_ids] td[name=kind]:contains(Person)",
        },
    ],
});

registry.category("web_tour.tours").add("vbdt_signature_issue_tour", {
    steps: () => [
        {
            content: "Issue",
            trigger: "button[name=action_issue]",
            run: "click",
        },
        {
            content: "Confirm the numbering",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The document is issued",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Issued)",
        },
        mainFileBadge("Signed and sealed"),
    ],
});
