"""KPI appraisal fixtures on top of the BSC fixtures.

period "H1 2026" (open) in Test Toys Ltd
KPI "On-time orders" (individual, higher is better, 80 -> 95 %)
sheet_employee  Employee (Production, reports to Manager): the KPI
                (weight 2) and the measure "Defect-free rate" (weight 1)
sheet_peer      Peer (Sales): the KPI
sheet_manager   Manager: the measure "Line uptime"
"""

from .bsc_common import BscCase


class KpiCase(BscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = cls.env["bsc.appraisal.period"].create(
            {
                "name": "H1 2026",
                "company_id": cls.company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-06-30",
            }
        )
        cls.kpi_on_time = cls.env["bsc.kpi.definition"].create(
            {
                "name": "On-time orders",
                "company_id": cls.company.id,
                "unit_label": "%",
                "baseline": 80,
                "target": 95,
            }
        )
        cls.sheet_employee = cls.make_sheet(
            cls.emp_employee,
            [("definition", cls.kpi_on_time, 2), ("measure", cls.measure_own, 1)],
        )
        cls.sheet_peer = cls.make_sheet(
            cls.emp_peer, [("definition", cls.kpi_on_time, 1)]
        )
        cls.sheet_manager = cls.make_sheet(
            cls.emp_manager, [("measure", cls.measure_manager, 1)]
        )
        cls.line_kpi, cls.line_measure = cls.sheet_employee.assignment_ids

    @classmethod
    def make_sheet(cls, employee, kpis, period=None):
        """A sheet made by HR with ``(source, record, weight)`` KPIs."""
        env = cls.env(user=cls.user_hr)
        sheet = env["bsc.kpi.sheet"].create(
            {"employee_id": employee.id, "period_id": (period or cls.period).id}
        )
        env["bsc.kpi.assignment"].create(
            [
                {
                    "sheet_id": sheet.id,
                    "sequence": index,
                    "source": source,
                    "measure_id" if source == "measure" else "definition_id": kpi.id,
                    "weight": weight,
                }
                for index, (source, kpi, weight) in enumerate(kpis)
            ]
        )
        return sheet.with_env(cls.env)
