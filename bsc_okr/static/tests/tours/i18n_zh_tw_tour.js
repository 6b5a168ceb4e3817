/** @odoo-module **/

import { registry } from "@web/core/registry";

// A Traditional Chinese user opens the app from the home menu and reads the
// strategy map in zh_TW: app menu, perspective bands, legend and status.
registry.category("web_tour.tours").add("bsc_okr_i18n_zh_tw_tour", {
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
            content: "The navbar names the app and its sections in Chinese",
            trigger: ".o_main_navbar:contains(戰略與 OKR) .o_menu_sections:contains(戰略)",
        },
        {
            content: "The strategy map opens with its title translated",
            trigger: ".o_breadcrumb:contains(戰略地圖)",
        },
        {
            content: "Financial is drawn at the top, in Chinese",
            trigger: ".o_bsc_map_band:first-of-type .o_bsc_map_band_title:contains(財務)",
        },
        {
            content: "Customer and Internal Process bands are translated",
            trigger: ".o_bsc_map_band[data-kind=customer] .o_bsc_map_band_title:contains(客戶)",
        },
        {
            content: "Internal Process",
            trigger: ".o_bsc_map_band[data-kind=process] .o_bsc_map_band_title:contains(內部運作)",
        },
        {
            content: "Learning & Growth is drawn at the bottom, in Chinese",
            trigger: ".o_bsc_map_band:last-of-type .o_bsc_map_band_title:contains(學習與成長)",
        },
        {
            content: "The status legend is translated",
            trigger: ".o_bsc_legend:contains(進展順利):contains(有風險):contains(落後)",
        },
        {
            content: "Arrows are explained in Chinese",
            trigger: ".o_bsc_legend:contains(箭頭：因 → 果)",
        },
    ],
});
