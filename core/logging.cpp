#include "logging.h"

// Chatty modules default to warnings; debug output is opt-in per category.
Q_LOGGING_CATEGORY(lcSim, "headroom.sim", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCluster, "headroom.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLoad, "headroom.load", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTraffic, "headroom.traffic", QtInfoMsg)
Q_LOGGING_CATEGORY(lcControl, "headroom.control", QtWarningMsg)
Q_LOGGING_CATEGORY(lcForecast, "headroom.forecast", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMetrics, "headroom.metrics", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIo, "headroom.io", QtInfoMsg)
Q_LOGGING_CATEGORY(lcUi, "headroom.ui", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "headroom.app", QtInfoMsg)
