/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("bsc_okr_scorecard_export_tour", {
    steps: () => [
        {
            content: "Open the export wizard from the scorecard",
            trigger: ".o_form_view .o_statusbar_buttons button:contains(Export (Excel))",
            run: "click",
        },
        {
            content: "The wizard proposes the horizon start",
            trigger: ".modal .o_field_widget[name=period_from_id] input:value(Jan 2025)",
        },
        {
            content: "Initiatives and OKR alignment are offered",
            trigger: ".modal .o_field_widget[name=include_okr] input:checked",
        },
        {
            content: "Export",
            trigger: ".modal footer button[name=action_export]",
            run: "click",
        },
        {
            content: "The download is over",
            trigger: "body:not(:has(.o_blockUI)) .modal footer button[name=action_export]",
        },
        {
            content: "Close the wizard",
            trigger: ".modal footer button:contains(Discard)",
            run: "click",
        },
        {
            content: "No error dialog was left behind",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
    ],
});
