"""Loading another script of tools/ as a module, for the tools that share code.

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from tool_modules import load_tool
    ms = load_tool("make_samples", "make-samples.py")

Most tools have hyphenated file names (make-samples.py), which `import` cannot name; the module is
executed from its file in tools/ whatever the working directory. Loading runs the script's top
level (make-samples.py installs Pillow with pip when it is missing, and says so).
"""
import importlib.util
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def load_tool(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
