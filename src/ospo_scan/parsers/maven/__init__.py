"""Maven ecosystem parsers: pom.xml (with cross-file resolution) and Gradle's lock and catalog files.

A POM rarely means anything alone: versions come from properties, parents and imported
BOMs. `pom` therefore parses every POM of a scan root together (ParserSpec.parse_group);
`xml_safe` is the only place that parses XML, `pom_syntax` turns XML into a frozen
PomDocument, and `pom_model` computes the effective model (inheritance, interpolation,
dependencyManagement) without running Maven and without any network.
"""
