/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bsc_okr_strategy_map_tour", {
    url: "/odoo/action-bsc_okr.bsc_strategy_map_action",
    steps: () => [
        {
            content: "Bands are drawn top-down from Financial",
            trigger: ".o_bsc_map_band:first-of-type:contains(Financial) .o_bsc_map_card:contains(Grow revenue)",
        },
        {
            content: "Cards are coloured by status",
            trigger: ".o_bsc_map_band[data-kind=process] .o_bsc_map_card.o_bsc_status_green:contains(Lean production)",
        },
        {
            content: "Every cause-effect link is drawn as an arrow",
            trigger: "svg.o_bsc_map_links[data-arrow-count='3']",
        },
        {
            content: "Highlight the Scale theme",
            trigger: ".o_bsc_theme_chip:contains(Scale)",
            run: "click",
        },
        {
            content: "Objectives outside the theme are dimmed",
            trigger: ".o_bsc_map_card.o_bsc_dimmed:contains(Happy partners)",
        },
        {
            content: "Open an objective",
            trigger: ".o_bsc_map_card:contains(Lean production)",
            run: "click",
        },
        {
            content: "Its form opens",
            trigger: ".o_form_view .o_breadcrumb:contains(Lean production)",
        },
    ],
});
