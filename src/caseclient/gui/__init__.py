"""The desktop app: tray, main window, case tree, dialogs. Talks to services only."""
