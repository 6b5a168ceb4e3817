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
