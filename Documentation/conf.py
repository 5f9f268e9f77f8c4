# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration for swaplab's Documentation/, as the kernel's own
# Documentation/conf.py does it: reStructuredText in kernel style, the
# kernel's kernel-doc extension (from the linux-source tree named by
# KSRC) pulling comments out of the C sources into Sphinx's C domain.
# `make htmldocs` builds it with warnings as errors.

import os
import sys

ksrc = os.environ.get('KSRC')
if not ksrc or not os.path.isfile(os.path.join(ksrc, 'scripts', 'kernel-doc')):
    sys.exit('conf.py: KSRC must name a kernel source tree (tools/testing/setup prints one)')
sys.path.insert(0, os.path.join(ksrc, 'Documentation', 'sphinx'))

project = 'swaplab'
copyright = 'The swaplab developers'
author = 'The swaplab developers'

extensions = ['kerneldoc']

# kernel-doc directives name files relative to the top of the tree.
kerneldoc_bin = os.path.join(ksrc, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

source_suffix = '.rst'
master_doc = 'index'
exclude_patterns = ['output']
primary_domain = 'c'
highlight_language = 'none'
html_theme = 'alabaster'
html_static_path = []
