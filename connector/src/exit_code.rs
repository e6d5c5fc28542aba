//! The exit codes of the command-line contract, decided here and nowhere
//! else: every error ([`crate::Error::exit_code`]) and every batch outcome
//! maps to one of them, and the command line only turns the one it gets
//! into the process status. docs/ point here rather than repeat the numbers.

/// How a `tabgov` command ends.
///
/// | code | meaning |
/// |---|---|
/// | 0 | success (a dry run and a no-op are successes) |
/// | 1 | runtime failure: Tableau, the network or the store failed, or some rows of a batch did |
/// | 2 | usage: a bad flag, config file or input file; nothing was done |
/// | 3 | refused by a safety rule (mass-removal guard, owned content, last administrator) |
/// | 130 | interrupted (Ctrl-C): signed out, the store kept its previous state |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExitCode {
    /// 0: done (a dry run and a no-op are successes).
    Success,
    /// 1: Tableau, the network or the store failed, or some rows of a batch did.
    Runtime,
    /// 2: a bad flag, config file or input file; nothing was done.
    Usage,
    /// 3: held back by a safety rule; nothing failed.
    Refused,
    /// 130: stopped by Ctrl-C (SIGINT), the shells' 128 + 2.
    Interrupted,
}

impl ExitCode {
    /// The process exit status.
    pub fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Runtime => 1,
            ExitCode::Usage => 2,
            ExitCode::Refused => 3,
            ExitCode::Interrupted => 130,
        }
    }

    /// The code of a batch whose rows ended `self` and `other`: a failure
    /// outranks a refusal, which outranks success, so an operator who sees
    /// 3 knows nothing failed, only that something was held back.
    pub fn worst(self, other: ExitCode) -> ExitCode {
        fn rank(c: ExitCode) -> u8 {
            match c {
                ExitCode::Success => 0,
                ExitCode::Refused => 1,
                ExitCode::Runtime => 2,
                ExitCode::Usage => 3,
                ExitCode::Interrupted => 4,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code())
    }
}

#[cfg(test)]
mod tests {
    use super::ExitCode::*;

    #[test]
    fn failures_outrank_refusals_which_outrank_success() {
        let table = [
            (Success, Success, Success),
            (Success, Refused, Refused),
            (Refused, Runtime, Runtime),
            (Runtime, Refused, Runtime),
            (Success, Usage, Usage),
            (Usage, Interrupted, Interrupted),
        ];
        for (a, b, worst) in table {
            assert_eq!(a.worst(b), worst, "{a:?} with {b:?}");
        }
        assert_eq!(
            [Success, Runtime, Usage, Refused, Interrupted].map(|c| c.code()),
            [0, 1, 2, 3, 130]
        );
    }
}
