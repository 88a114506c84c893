"""Zero/one/few-shot lab: accuracy against K for prompting, label similarity, cloze and training on K examples.

    prompting.py  templates, demonstrations, label-word scoring with a cached demonstration prefix, calibration
    methods.py    the fixed task (test set + pool) and one small object per method: run(train_k, task, seed)
    curves.py     the K x seed grid, aggregation, crossovers, the CLI's JSON, the runs store, prompt sensitivity
    figures.py    Plotly figures and tables (pure)
    jobs.py       background threads a page can poll
    cli.py        `python -m plm_core fewshot`
"""
