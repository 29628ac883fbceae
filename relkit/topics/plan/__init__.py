"""Workbook 05 — relationship plan: the programmes, who they target, and the
marketing pressure they add up to (seed 000; the standard programmes, seed 004).

A programme is an objective, a KPI, a target, actions (automation scenarios and
campaigns), marketing-pressure rules and a timing; programmes are deployed
progressively. One module per job; import from them directly:

- ``catalogue``: the standard programmes (``CATALOGUE``), programme and channel names -> codes
- ``rules``: target rules as short phrases (``parse_rule``, ``Rule``)
- ``programmes``: the ``programmes`` sheet as ``Programme`` objects
- ``targets``: the customer base, who a rule targets, target sizes per programme
- ``pressure``: messages per person, per month and channel (``simulate_pressure``)

Sentences on these results live in ``relkit.workbooks.plan_programmes``, charts
in ``relkit.views.charts.plan``.
"""
