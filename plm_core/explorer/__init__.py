"""The representation explorer: static vs contextual vectors, attention masks and weights.

    polysemy.py    shipped polysemy sets, word -> sub-word alignment, a word's vector at every layer
    sentences.py   sentence vectors of a sample set, nearest neighbours, a linear probe
    projection.py  2-D projections (PCA, UMAP, t-SNE), cached
    jobs.py        the long ones as job kinds: a sample set embedded, UMAP / t-SNE (never in the server)
    masks.py       attention-mask matrices of every architecture (bidirectional, causal, prefix-LM, cross)
    attention.py   real attention weights: head averages, rollout, truncation, mask swap
    lm.py          masked-LM sandbox and next-token view
    tokens.py      how tokenizers cut a text (byte-level pieces made readable)
    figures.py     pure Plotly builders for the two pages
"""
