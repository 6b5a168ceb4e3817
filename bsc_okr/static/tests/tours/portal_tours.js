/** @odoo-module **/

import { registry } from "@web/core/registry";

// The OKR portal's core flows, on plain HTML forms (no custom JavaScript).
const tours = registry.category("web_tour.tours");

tours.add("bsc_okr_portal_create_tour", {
    steps: () => [
        {
            content: "Start a new objective",
            trigger: "a.o_okr_new",
            run: "click",
        },
        {
            content: "Title",
            trigger: "form.o_okr_form_new input[name=name]",
            run: "edit Tour: safer moulds",
        },
        {
            content: "First key result",
            trigger: "input[name=kr1_name]",
            run: "edit Broken moulds per week",
        },
        {
            content: "Its start",
            trigger: "input[name=kr1_start_value]",
            run: "edit 6",
        },
        {
            content: "Its target",
            trigger: "input[name=kr1_target_value]",
            run: "edit 1",
        },
        {
            content: "Second key result",
            trigger: "input[name=kr2_name]",
            run: "edit Mould checks per shift",
        },
        {
            content: "Its target",
            trigger: "input[name=kr2_target_value]",
            run: "edit 2",
        },
        {
            content: "Create",
            trigger: "button.o_okr_create",
            run: "click",
        },
        {
            content: "Created, with both key results",
            trigger: ".o_okr_success:contains(Your objective was created.)",
        },
        {
            content: "Two key results listed",
            trigger: ".o_okr_kr_name:contains(Mould checks per shift)",
        },
        {
            content: "Submit for approval",
            trigger: "button.o_okr_submit",
            run: "click",
        },
        {
            content: "Sent to the manager",
            trigger: ".o_okr_success:contains(sent to your manager)",
        },
    ],
});

tours.add("bsc_okr_portal_checkin_tour", {
    steps: () => [
        {
            content: "Open the check-in form",
            trigger: "details.o_okr_checkin summary",
            run: "click",
        },
        {
            content: "New value",
            trigger: ".o_okr_checkin_form input[name=value]",
            run: "edit 42",
        },
        {
            content: "Confidence",
            trigger: ".o_okr_checkin_form input[name=confidence]",
            run: "edit 7",
        },
        {
            content: "A comment",
            trigger: ".o_okr_checkin_form textarea[name=comment]",
            run: "edit Two moulds repaired",
        },
        {
            content: "Save",
            trigger: "button.o_okr_checkin_submit",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_okr_success:contains(Your check-in was saved.)",
        },
    ],
});

tours.add("bsc_okr_portal_approve_tour", {
    steps: () => [
        {
            content: "Open the objective waiting for me",
            trigger: ".o_okr_to_approve a",
            run: "click",
        },
        {
            content: "Approve",
            trigger: "button.o_okr_approve",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_okr_success:contains(The request was approved.)",
        },
    ],
});

tours.add("bsc_okr_portal_learning_tour", {
    steps: () => [
        {
            content: "Propose a learning plan",
            trigger: "a.o_okr_plan_new",
            run: "click",
        },
        {
            content: "Plan",
            trigger: "form.o_okr_plan_form input[name=name]",
            run: "edit Tour: lean kitting",
        },
        {
            content: "Direction",
            trigger: "textarea[name=direction]",
            run: "edit Car makers kit parts per order",
        },
        {
            content: "Learning objective",
            trigger: "input[name=goal_name]",
            run: "edit Learn how kitting cuts walking",
        },
        {
            content: "A learning key result",
            trigger: "input[name=kr1_name]",
            run: "edit Lines visited",
        },
        {
            content: "Its target",
            trigger: "input[name=kr1_target_value]",
            run: "edit 3",
        },
        {
            content: "Propose",
            trigger: "button.o_okr_plan_create",
            run: "click",
        },
        {
            content: "Proposed",
            trigger: ".o_okr_success:contains(Your learning plan was proposed.)",
        },
    ],
});
