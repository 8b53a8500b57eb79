/** @odoo-module */
// The leader signs a draft through a remote signing service (the fake VNPT
// SmartCA of the tests) and follows the request on the session dialog: the
// provider's message and the time left while waiting, then "signed", without
// clicking anything (the status widget polls the server). The same on a
// phone-sized screen (header buttons in the cog menu), and a batch of two
// drafts selected by long touch in the list.
import { registry } from "@web/core/registry";

function followUntilSigned(scope) {
    return [
        {
            content: "The request waits for the confirmation on the phone",
            trigger: `${scope} .o_vbdt_remote_status[data-outcome=waiting] .o_vbdt_remote_message:contains(sig_wait_for_user_confirm)`,
        },
        {
            content: "A countdown shows the time left",
            trigger: `${scope} .o_vbdt_remote_countdown`,
        },
        {
            content: "Confirmed on the phone: the page shows it signed by itself",
            trigger: `${scope} .o_vbdt_remote_status[data-state=done][data-outcome=signed]`,
            timeout: 20000,
        },
    ];
}

const closeDialog = [
    {
        content: "Close the dialog",
        trigger: ".modal-footer button:contains(Close)",
        run: "click",
    },
    {
        content: "Back on the document",
        trigger: "body:not(:has(.modal)) .o_form_view",
    },
];

registry.category("web_tour.tours").add("vbdt_signature_remote_wait_tour", {
    steps: () => [
        {
            content: "Sign the draft digitally (remote certificate)",
            trigger: "button[name=action_sign_person_confirm]",
            run: "click",
        },
        {
            content: "The confirmation says what is signed and as whom: sign",
            trigger: ".modal-footer button[name=action_sign]",
            run: "click",
        },
        ...followUntilSigned(".modal"),
        ...closeDialog,
    ],
});

registry.category("web_tour.tours").add("vbdt_signature_remote_phone_tour", {
    steps: () => [
        {
            content: "On a phone the header buttons are in the cog menu",
            trigger: ".o_form_view .o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Sign the draft digitally (remote certificate)",
            trigger: ".o-dropdown--menu button[name=action_sign_person_confirm]",
            run: "click",
        },
        {
            content: "The confirmation says what is signed and as whom: sign",
            trigger: ".modal-footer button[name=action_sign]",
            run: "click",
        },
        ...followUntilSigned(".modal"),
        ...closeDialog,
    ],
});

async function longTouch(element) {
    const touch = new Touch({ identifier: 1, target: element, clientX: 5, clientY: 5 });
    const init = { bubbles: true, cancelable: true, touches: [touch], changedTouches: [touch] };
    element.dispatchEvent(new TouchEvent("touchstart", init));
    await new Promise((resolve) => setTimeout(resolve, 700));
    element.dispatchEvent(
        new TouchEvent("touchend", { ...init, touches: [] })
    );
}

registry.category("web_tour.tours").add("vbdt_signature_remote_batch_tour", {
    steps: () => [
        {
            content: "On a phone the documents open as cards: switch to the list",
            trigger: ".o_cp_switch_buttons button",
            run: "click",
        },
        {
            content: "List view",
            trigger: ".o-dropdown--menu .dropdown-item:has(.oi-view-list)",
            run: "click",
        },
        {
            content: "Select the first draft by a long touch",
            trigger: ".o_list_view .o_data_row:contains(PHONE-BATCH-1) td.o_data_cell",
            async run() {
                await longTouch(this.anchor);
            },
        },
        {
            content: "It is selected",
            trigger: ".o_list_view .o_data_row.o_data_row_selected:contains(PHONE-BATCH-1)",
        },
        {
            content: "A touch adds the second draft",
            trigger: ".o_list_view .o_data_row:contains(PHONE-BATCH-2) td.o_data_cell",
            run: "click",
        },
        {
            content: "Both are selected",
            trigger: ".o_list_view .o_data_row.o_data_row_selected:contains(PHONE-BATCH-2)",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Sign both in one confirmation",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Sign Digitally (Batch))",
            run: "click",
        },
        {
            content: "The batch's documents are listed; open the first",
            trigger:
                ".o_list_view .o_data_row:has(td[name=remote_outcome]):contains(PHONE-BATCH-1) td[name=document_id]",
            run: "click",
        },
        ...followUntilSigned(".o_form_view"),
    ],
});
