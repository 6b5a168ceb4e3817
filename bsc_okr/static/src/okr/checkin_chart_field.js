import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

const WIDTH = 600;
const HEIGHT = 120;
const PAD = 8;

/**
 * A small line chart of a key result's check-ins, drawn on its form: the
 * values over time, with the start and the target as dashed lines. It reads
 * the JSON computed by okr.key.result._compute_checkin_chart.
 */
export class OkrCheckinChartField extends Component {
    static template = "bsc_okr.OkrCheckinChartField";
    static props = { ...standardFieldProps };

    get chart() {
        return this.props.record.data[this.props.name] || { points: [] };
    }

    get points() {
        return this.chart.points || [];
    }

    get geometry() {
        const points = this.points;
        const values = points.map((p) => p.value);
        const start = this.chart.start || 0;
        const target = this.chart.target || 0;
        const low = Math.min(start, target, ...values);
        const high = Math.max(start, target, ...values);
        const span = high - low || 1;
        const y = (value) => PAD + (HEIGHT - 2 * PAD) * (1 - (value - low) / span);
        const step = points.length > 1 ? (WIDTH - 2 * PAD) / (points.length - 1) : 0;
        const x = (index) => (points.length > 1 ? PAD + index * step : WIDTH / 2);
        const dots = points.map((p, index) => ({
            x: x(index),
            y: y(p.value),
            title: `${p.date}: ${p.value} (confidence ${p.confidence}/10)`,
        }));
        return {
            width: WIDTH,
            height: HEIGHT,
            line: dots.map((d) => `${d.x},${d.y}`).join(" "),
            dots,
            startY: y(start),
            targetY: y(target),
        };
    }
}

registry.category("fields").add("okr_checkin_chart", {
    component: OkrCheckinChartField,
    supportedTypes: ["json"],
});
