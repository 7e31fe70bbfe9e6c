"""Unrolled: a visual explainer and playground for recurrent neural networks.

    python app.py      # serves on http://127.0.0.1:7860 (GRADIO_SERVER_NAME / _PORT override)
"""

if __name__ == "__main__":
    # Everything is imported here, not at module level: training jobs run in worker processes
    # that re-import this file, and they must not build a second web app.
    from playground.app import main

    main()
