/** @odoo-module **/

import { registry } from "@web/core/registry";

// Comments (Odoo's portal chatter) on an objective page, on a phone.
const tours = registry.category("web_tour.tours");

function assertFits() {
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        throw new Error(`The page is ${width}px wide on a ${window.innerWidth}px screen`);
    }
}

export const chatterSteps = [
    {
        content: "The objective page has its comments",
        trigger: ".o_okr_chatter #chatterRoot:shadow .o-mail-Chatter",
        run: assertFits,
    },
    {
        content: "Write a comment",
        trigger: ".o_okr_chatter #chatterRoot:shadow .o-mail-Composer-input",
        run: "edit Line 2 moulds all checked",
    },
    {
        content: "Send it",
        trigger: ".o_okr_chatter #chatterRoot:shadow .o-mail-Composer-send:enabled",
        run: "click",
    },
    {
        content: "The comment is shown",
        trigger:
            ".o_okr_chatter #chatterRoot:shadow .o-mail-Message:contains(Line 2 moulds all checked)",
        run: assertFits,
    },
];

tours.add("bsc_okr_portal_chatter_tour", {
    steps: () => chatterSteps,
});

// Grading a key result from the same page while the cycle is being graded.
export const gradeSteps = [
    {
        content: "Open the grade form",
        trigger: "details.o_okr_grade summary",
        run: "click",
    },
    {
        content: "Give a grade",
        trigger: ".o_okr_grade_form input[name=grade]",
        run: "edit 0.8",
    },
    {
        content: "Say why",
        trigger: ".o_okr_grade_form textarea[name=grade_note]",
        run: "edit Fewer moulds broke than we measured",
    },
    {
        content: "Save it",
        trigger: ".o_okr_grade_form button.o_okr_grade_submit",
        run() {
            assertFits();
            this.anchor.click();
        },
    },
    {
        content: "Saved, shown on the key result",
        trigger: ".o_okr_success:contains(Your grade was saved.)",
    },
    {
        content: "The new grade",
        trigger: ".o_okr_kr_grade strong:contains(0.80)",
        run: assertFits,
    },
];

tours.add("bsc_okr_portal_chatter_grading_tour", {
    steps: () => [...chatterSteps, ...gradeSteps],
});
