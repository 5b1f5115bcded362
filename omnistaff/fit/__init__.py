"""From a center's own data to a scenario: read a contact log or an interval report, fit
arrivals, day-level volume CV, handle time, patience and staffing, forecast the next weeks,
and write a scenario that validates. A library: no printing; files only where handed."""

from omnistaff.fit.fitting import ChannelFit, LogFit, fit_contact_log, fit_interval_report
from omnistaff.fit.mapping import LogError, LogMapping, MappingError, read_mapping
from omnistaff.fit.readers import ContactLog, IntervalReport, read_contact_log, read_interval_report

__all__ = ["ChannelFit", "ContactLog", "IntervalReport", "LogError", "LogFit", "LogMapping",
           "MappingError", "fit_contact_log", "fit_interval_report", "read_contact_log",
           "read_interval_report", "read_mapping"]
