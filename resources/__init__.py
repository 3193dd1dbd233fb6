"""The kiosk's package data: the demo clinic, theme, sounds, fonts and procedure kits.

This folder sits beside kiosk/ in the source tree and is installed as the kiosk.resources
package (pyproject.toml maps it); code finds it through kiosk.adapters.package_data
(bootstrap.RESOURCES), never by a path relative to its own file."""
