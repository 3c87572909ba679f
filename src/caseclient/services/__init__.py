"""The bridge to Qt: QObject façades over the Qt-free core, with signals. QtCore only."""
