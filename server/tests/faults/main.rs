//! Fault tests: the real binary, with faults done to its database and its disk. Each fault is
//! one that production will meet; each test fails when the defence it checks is taken away.

mod backup;
mod crash;
mod harness;
mod outage;
mod several;
mod shutdown;
