import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { OkrProgressChart } from "./progress_chart";

/** The progress chart on a form, from a Json field holding its specification. */
export class OkrProgressChartField extends Component {
    static template = "bsc_okr.OkrProgressChartField";
    static components = { OkrProgressChart };
    static props = { ...standardFieldProps };

    get chart() {
        return this.props.record.data[this.props.name] || undefined;
    }
}

registry.category("fields").add("okr_progress_chart", {
    component: OkrProgressChartField,
    supportedTypes: ["json"],
});
