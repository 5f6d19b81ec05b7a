"""`unik compare`: the same programs in every installed language, on the same
runtime, measured side by side (README.md, "Benchmarks"; docs/plugins.md,
"Benchmarks", for what a plugin contributes).

    spec.py      the programs: what each computes, its parameter, its exact output
    results.py   what was measured: a Run, a Pair (language x program)
    pairs.py     which (language, program) pairs exist among the installed plugins
    check.py     an implementation's output against the specification
    measure.py   build one pair; one boot on the runner or QEMU; one native run
    session.py   builds every pair, runs them in interleaved rounds, survives failures and Ctrl-C
    metrics.py   the metrics a report shows, and min/median/max
    table.py     the terminal table
    machine.py   the machine and toolchains, for compare.json
    jsonout.py   compare.json
    svg.py       the plots (SVG drawn here)
    html.py      the self-contained HTML report
    progress.py  the progress bar
"""
