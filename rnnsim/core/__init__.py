"""rnnsim.core: a pure numpy BPTT engine. It never imports Django; the web layer calls it.

Models: ``rnn`` (tanh, linear and residual cells) and ``lstm``, each with ``forward`` and an exact
``backward``; ``truncation`` (k-step window) and ``rnn.backward(stop_every=k)`` (chunks);
``clipping``; ``training`` (SGD that survives divergence); ``experiments`` (the named, tested claims).
"""
