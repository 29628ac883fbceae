"""The budget tab's LTV:CAC line: the VMC and acquisition cost, computed as workbook 02
computes them, or what is missing worded as the report words it."""
from __future__ import annotations

from relkit.customers import value as vm


def ltv_cac(folder, eng, L):
    """(LTV, CAC, None): the VMC and acquisition cost, from the engagement's values, else measured from the
    exports; (None, None, why) when they cannot be computed: why says what is missing as the report says it: the cost to
    reach and the conversion rate (planwb.no_ltv_cac), the inputs the declared customer file cannot
    measure (CustomerFile.not_measurable), or the customer file only when none is declared."""
    v = eng.value
    if v.cost_to_reach is None or v.conversion_rate is None:
        return None, None, L("planwb.no_ltv_cac")
    given = {k: getattr(v, k) for k in ("purchases_per_year", "retention", "average_transaction")}
    if all(x is not None for x in given.values()):
        inputs = vm.VMCInputs(period_years=v.period_years, cost_to_reach=v.cost_to_reach,
                              conversion_rate=v.conversion_rate, margin=v.margin, **given)
    else:
        if eng.customer_data is None:
            missing = [k for k, x in given.items() if x is None]
            return None, None, L("workshop.budget.ltv_cac.no_file", inputs=L.join(
                [L(f"customers.missing.input.{k}") for k in missing]))
        from relkit.intake.imports import import_sources
        from relkit.workbooks.customers import CustomerFile

        imports, problems = import_sources(folder, eng)
        if problems:
            return None, None, L("workshop.budget.ltv_cac.failed", n=len(problems))
        try:
            cf = CustomerFile(eng, imports, L)
            why = cf.not_measurable("vmc")
            if not why:
                inputs, _ = cf.vmc_inputs()
        except (ValueError, KeyError, IndexError) as exc:
            why = str(exc) or L("workshop.budget.ltv_cac.failed", n=1)
        if why:  # the report's sentence: which inputs the declared file cannot measure, and why
            return None, None, why
    result = vm.vmc(inputs)
    return result.gross, result.acquisition_cost, None

