"""Which upstream project a package comes from, so criticality ranks what people maintain.

One project often publishes many packages (jackson-core, jackson-databind and
jackson-annotations; @babel/core and @babel/parser; golang.org/x/net and
golang.org/x/sys). Counting them apart would split one project's weight over its
packages, so ranking works on the project, and lists the packages under it.

The rules, by what each ecosystem's names tell (no registry is asked):
- Maven: the groupId (`com.fasterxml.jackson.core`).
- npm: the scope (`@babel`); an unscoped package is its own project.
- Go: the host and the first path element: the owner on a code host
  (`github.com/prometheus` for client_golang, common and procfs), the project on a
  vanity host (`golang.org/x`, `google.golang.org/grpc`, `k8s.io/api`). A two-element
  path (`go.uber.org/zap`, `gopkg.in/yaml.v3`) is its own project.
- PyPI: no namespace is reliable (`azure-core` and `azure-storage-blob` are one
  project, `django` and `django-environ` are not), so each package is its own project.
"""

from __future__ import annotations

from ospo_scan.model import Component, Ecosystem


def upstream_project(component: Component) -> str:
    """The upstream project's name for this package (see the module docstring)."""
    name = component.name
    if component.ecosystem is Ecosystem.MAVEN:
        return name.split(":", 1)[0]
    if component.ecosystem is Ecosystem.NPM:
        return name.split("/", 1)[0] if name.startswith("@") and "/" in name else name
    if component.ecosystem is Ecosystem.GOLANG:
        return _go_project(name)
    return name


def _go_project(module_path: str) -> str:
    parts = module_path.split("/")
    return module_path if len(parts) < 3 else "/".join(parts[:2])
