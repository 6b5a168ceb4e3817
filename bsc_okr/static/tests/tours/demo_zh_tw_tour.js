/** @odoo-module **/

import { registry } from "@web/core/registry";

// The demo administrator, whose language is Traditional Chinese, opens the
// app from the home menu, reads its menu in zh_TW, opens the strategy map
// from the Strategy menu and finds the Harbour Toys map drawn in Chinese,
// then the learning plans: the demo's own texts read in Chinese too.
registry.category("web_tour.tours").add("bsc_okr_demo_zh_tw_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the app switcher",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "The app is listed under its Chinese name",
            trigger: ".o_app:contains(戰略與 OKR)",
            run: "click",
        },
        {
            content: "The app's sections are in Chinese",
            trigger:
                ".o_menu_sections:contains(戰略):contains(學習):contains(報表):contains(設定)",
        },
        {
            content: "Open the Strategy section",
            trigger: ".o_menu_sections button:contains(戰略)",
            run: "click",
        },
        {
            content: "Open the strategy map from its Chinese menu item",
            trigger: ".dropdown-item:contains(戰略地圖)",
            run: "click",
        },
        {
            content: "The demo scorecard is drawn, its status in Chinese",
            trigger: ".o_bsc_map_header:contains(Harbour Toys 戰略):contains(有風險)",
        },
        {
            content: "Learning & Growth holds the innovative team objective, both in Chinese",
            trigger:
                ".o_bsc_map_band[data-kind=learning]:contains(學習與成長):contains(打造創新管理團隊)",
        },
        {
            content: "Financial is the top band, in Chinese",
            trigger: ".o_bsc_map_band:first-of-type .o_bsc_map_band_title:contains(財務)",
        },
        {
            content: "The cause-effect arrows are drawn",
            trigger: "svg.o_bsc_map_links[data-arrow-count]:not([data-arrow-count='0'])",
        },
        {
            content: "Open the Learning section",
            trigger: ".o_menu_sections button:contains(學習)",
            run: "click",
        },
        {
            content: "Open the learning plans",
            trigger: ".dropdown-item:contains(學習計劃)",
            run: "click",
        },
        {
            content: "The plans of the story, by stage, in Chinese",
            trigger: ".o_kanban_record:contains(精益學習計劃)",
        },
        {
            content: "The promoted plan, made into an initiative, reads in Chinese",
            trigger: ".o_kanban_record:contains(幼兒系列學習計劃)",
            run: "click",
        },
        {
            content: "Its learning goal and key results, made by the plan, in Chinese",
            trigger:
                ".o_form_view:contains(學習影視、玩具、應用程式和圖書如何讓 3-6 歲孩子持續學習):contains(受訪的家長和老師)",
        },
    ],
});
