/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bsc_okr_strategy_map_evidence_tour", {
    url: "/odoo/action-bsc_okr.bsc_strategy_map_action",
    steps: () => [
        {
            content: "The map of the tested scorecard is drawn",
            trigger: ".o_bsc_map_card:contains(Skills)",
        },
        {
            content: "Arrows are plain before the toggle",
            trigger: "svg.o_bsc_map_links[data-evidence=off][data-arrow-count='2']",
        },
        {
            content: "Switch the Evidence view on",
            trigger: "button.o_bsc_evidence_toggle",
            run: "click",
        },
        {
            content: "The legend names every verdict",
            trigger: ".o_bsc_evidence_legend:contains(Supported):contains(Contradicted):contains(Reverse):contains(No evidence):contains(Insufficient data)",
        },
        {
            // SVG paths have no layout box of their own, so the tour waits on
            // the (visible) drawing and checks its arrows inside it.
            content: "The supported link is drawn solid green, with its figures on hover",
            trigger: "svg.o_bsc_map_links[data-evidence=on]:has(path.o_bsc_evidence_supported)",
            run() {
                const path = this.anchor.querySelector(
                    "path.o_bsc_evidence_supported[data-evidence=supported]"
                );
                const title = path.querySelector("title").textContent;
                if (!title.includes("Training hours") || !title.includes("r = ")) {
                    throw new Error(`Unexpected hover text: ${title}`);
                }
            },
        },
        {
            content: "The link without history is drawn faint",
            trigger: "svg.o_bsc_map_links[data-evidence=on]:has(path.o_bsc_evidence_insufficient[data-evidence=insufficient])",
        },
        {
            content: "Switch it off again",
            trigger: "button.o_bsc_evidence_toggle.active",
            run: "click",
        },
        {
            content: "Arrows are plain again",
            trigger: "svg.o_bsc_map_links[data-evidence=off]",
        },
    ],
});
