//! bureau-desk: reads the command line, then opens the desk window or runs a command.

use std::path::PathBuf;
use std::process::ExitCode;

use bureau_desk::app::{Clock, Desk, SlipOutput};
use bureau_desk::cli::{self, Cli, Outcome};
use bureau_desk::ui::{BureauApp, theme};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (database, path) = match cli::run(cli, &mut std::io::stdout()) {
        Ok(Outcome::Done) => return ExitCode::SUCCESS,
        Ok(Outcome::OpenDesk(database, path)) => (database, path),
        Err(message) => {
            eprintln!("bureau-desk: {message}.");
            return ExitCode::FAILURE;
        }
    };
    let mut desk = match Desk::new(database, Clock::System) {
        Ok(desk) => desk,
        Err(error) => {
            eprintln!("bureau-desk: {error}.");
            return ExitCode::FAILURE;
        }
    };
    // Printed slips carry personal data: they stay beside the database, not in a shared folder.
    let folder = path
        .parent()
        .map_or_else(|| PathBuf::from("slips"), |p| p.join("slips"));
    desk.slip_output = SlipOutput {
        folder,
        open_viewer: true,
    };
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
            Ok(Box::new(BureauApp::new(desk)))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bureau-desk: the window could not be opened ({error}).");
            ExitCode::FAILURE
        }
    }
}
