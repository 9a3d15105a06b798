//! bureau-desk: reads the command line, then opens the desk window or runs a command.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use bureau_desk::app::session::Gate;
use bureau_desk::app::{Clock, SlipOutput};
use bureau_desk::cli::{self, Cli, Outcome};
use bureau_desk::output;
use bureau_desk::ui::{DeskWindow, theme};
use clap::Parser;

fn main() -> ExitCode {
    // Everything the desk creates (the database and its log, the key file, backups, slips,
    // exports, their folders) is readable by this user only.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_bits_truncate(0o077));
    let cli = Cli::parse();
    let (path, demo) = match cli::run(cli, &mut std::io::stdout()) {
        Ok(Outcome::Done) => return ExitCode::SUCCESS,
        Ok(Outcome::OpenDesk { path, demo }) => (path, demo),
        Err(message) => {
            eprintln!("bureau-desk: {message}.");
            return ExitCode::FAILURE;
        }
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(error) = std::fs::create_dir_all(parent)
    {
        eprintln!(
            "bureau-desk: {} could not be made ({error}).",
            parent.display()
        );
        return ExitCode::FAILURE;
    }
    // Printed slips carry personal data: they stay beside the database, not in a shared folder.
    let folder = path
        .parent()
        .map_or_else(|| PathBuf::from("slips"), |p| p.join("slips"));
    // Slips printed for the viewer are not kept: the folder is emptied now, at exit, and of
    // anything a day old while the desk runs.
    let _ = output::clear_slips(&folder, Duration::ZERO);
    let slips = SlipOutput {
        folder: folder.clone(),
        open_viewer: true,
    };
    let mut gate = Gate::new(path, demo);
    gate.open_viewer = true;
    let window = DeskWindow::new(gate, slips, Clock::System);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bureau-desk")
            .with_inner_size([1366.0, 768.0])
            .with_min_inner_size([1024.0, 640.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "bureau-desk",
        options,
        Box::new(move |cc| {
            theme::install(&cc.egui_ctx);
            Ok(Box::new(window))
        }),
    );
    let _ = output::clear_slips(&folder, Duration::ZERO);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bureau-desk: the window could not be opened ({error}).");
            ExitCode::FAILURE
        }
    }
}
