//! The `allocnet` command line: parse arguments, call the library, print.
//!
//! Results go to stdout, errors to stderr. Exit codes: 0 done (whatever the status of
//! the problem), 1 the solver failed, 2 bad input or bad arguments.

use allocnet::engine::solve_owned;
use allocnet::flow::dimacs::{locate_error, read_dimacs_file, write_dimacs_file};
use allocnet::flow::generate::{self, CommonParams, Family, NetgenParams, TransportationParams, TransshipmentParams};
use allocnet::flow::{Engine, Status};
use allocnet::model::builtin::scenario_by_name;
use allocnet::model::Scenario;
use allocnet::process::audit::{replay, AuditLog, ReplayOutcome};
use allocnet::process::output::{plan_json, write_plan_dir};
use allocnet::process::report::county_round_text;
use allocnet::process::sim_report::{comparison_text, replay_text, simulation_text};
use allocnet::process::simulate::{simulate, weekday_names, weekday_numbers, SimulationOptions, Wave};
use allocnet::process::{run_county_round as run_county_round_lib, Policy, RoundOptions};
use allocnet::Error;

#[path = "allocnet/lookahead_cli.rs"]
mod lookahead_cli;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[path = "cli/sweep.rs"]
mod sweep_cmd;

/// Allocation of scarce medical supplies as min-cost flow.
#[derive(Parser)]
#[command(
    name = "allocnet",
    version,
    about = "Allocation of scarce medical supplies as min-cost flow: the county round, DIMACS problems, instance generation, the demo.",
    after_help = "Exit status: 0 done (whatever the problem's status), 1 solver failure, 2 bad input or arguments."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Most memory an input may make allocnet plan for, bytes or with a suffix K, M, G, T
    /// (default 2G, or the environment variable ALLOCNET_MEMORY_LIMIT); larger inputs
    /// are refused with the field that makes them large.
    #[arg(long, global = true, value_parser = allocnet::limits::parse_bytes)]
    memory_limit: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a DIMACS min-cost flow file; print one JSON object with status, cost, nodes,
    /// arcs and seconds (solve time only).
    Flow {
        /// The DIMACS min-cost flow file (`p min NODES ARCS`, `n`, `a`, `c` lines).
        file: PathBuf,
        /// The solver.
        #[arg(long, value_enum, default_value_t = Engine::default())]
        engine: Engine,
        /// Also print "flows": the flow on every arc, in input order.
        #[arg(long)]
        flows: bool,
    },
    /// Write a seeded random instance in DIMACS format (feasible and balanced; the same
    /// seed gives the same file).
    Generate {
        #[command(subcommand)]
        family: FamilyArg,
    },
    /// Run the county resource-coordination meeting for Västmanland (embedded scenario:
    /// real geography, SYNTHETIC stock and needs) and print the report.
    Demo {
        /// Show the meeting as trips: whole packs, a van, minimum loads and substitutes
        /// (the built-in SYNTHETIC logistics data; see docs/trips.md).
        #[arg(long)]
        trips: bool,
    },
    /// Run the county round on a scenario: a JSON file or a directory of CSV tables
    /// (see docs/input-formats.md).
    CountyRound {
        /// The scenario: a JSON file, or a directory with sites.csv, items.csv, status.csv, ...
        scenario: PathBuf,
        /// Output on stdout: a readable table report, or the full plan as JSON.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        /// Also write plan.json, shipments.csv, unmet.csv, stock_after.csv, objective.csv,
        /// dual_prices.csv, county_request.json and county_request.csv into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The solver.
        #[arg(long, value_enum, default_value_t = Engine::default())]
        engine: Engine,
        /// Append the round (input, options, plan, objective) to this JSON Lines audit log.
        #[arg(long)]
        audit: Option<PathBuf>,
        #[command(flatten)]
        lookahead: lookahead_cli::LookaheadArgs,
        #[command(flatten)]
        trips: TripsArgs,
    },
    /// Simulate the weekly process (meetings, national rounds, deliveries, consumption)
    /// day by day and print a summary.
    Simulate {
        /// `sweden` (all 290 municipalities, synthetic), `vastmanland`, or a scenario file/directory.
        scenario: String,
        #[command(flatten)]
        sim: SimArgs,
        /// National allocation policy.
        #[arg(long, value_enum, default_value_t = SimulationOptions::default().policy)]
        policy: Policy,
        /// Output: a readable summary, or the whole simulation (time series, shipments) as JSON.
        #[arg(long, value_enum, default_value_t = FormatArg::Table)]
        format: FormatArg,
        /// Append every round (county and national) to this JSON Lines audit log.
        #[arg(long)]
        audit: Option<PathBuf>,
    },
    /// Run every national policy, with and without county redistribution, on the same
    /// scenario and print the summaries side by side.
    ComparePolicies {
        /// `sweden`, `vastmanland`, or a scenario file/directory.
        scenario: String,
        #[command(flatten)]
        sim: SimArgs,
    },
    /// Re-run every round of an audit log and confirm each plan is reproduced exactly.
    Replay {
        /// The JSON Lines audit log.
        log: PathBuf,
    },
    /// Print the schema of the result tables (column, dtype, unit, meaning) as the
    /// Markdown of the docs' column tables.
    Schema {
        /// Markdown (the only format so far; accepted for clarity).
        #[arg(long)]
        markdown: bool,
        /// The results to print (plan, national_plan, simulation, comparison, replay,
        /// testing_plan, sweep); default: all of them.
        results: Vec<String>,
    },
    /// Plan a week of COVID-19 testing (PCR, serology): tests per group and sampling
    /// site, sample flows to labs, kit shipments, untested need, capacity values, the
    /// public guidance and the county status picture (see docs/testing.md).
    Testing {
        /// A JSON file, or the built-in `vastmanland` / `sweden` (SYNTHETIC figures).
        scenario: String,
        /// Also write plan.json, tests.csv, unmet.csv, sites.csv, labs.csv, sample_flows.csv,
        /// kit_shipments.csv, kits.csv, capacity_values.csv, guidance.csv, guidance.html and
        /// status.csv into this directory.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Language of the public guidance (guidance.csv, guidance.html): en or sv.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Write the scenario (e.g. the built-in `vastmanland`) as JSON to this file, to
        /// start your own from it; it reads back to the same plan.
        #[arg(long)]
        write_scenario: Option<PathBuf>,
    },
    /// Run a sweep: the base under every scenario of a spec (grids, seeded
    /// distributions); write results.csv (one row per scenario) and summary.csv (mean
    /// and quantiles per metric). Ctrl-C stops and writes what is done (exit 130).
    Sweep(sweep_cmd::SweepArgs),
}

/// Simulation parameters shared by `simulate` and `compare-policies`; the defaults are
/// [`SimulationOptions::default`]'s.
#[derive(Args)]
struct SimArgs {
    /// Number of weeks.
    #[arg(long, default_value_t = SimulationOptions::default().weeks)]
    weeks: u32,
    /// Meeting weekdays, comma-separated (mon,tue,wed,thu,fri,sat,sun).
    #[arg(long, default_value_t = weekday_names(&SimulationOptions::default().meeting_weekdays))]
    meeting_days: String,
    /// Acute window in hours.
    #[arg(long, default_value_t = SimulationOptions::default().acute_window_hours)]
    acute_window_hours: f64,
    /// Reserve a donor keeps, days of its own consumption.
    #[arg(long, default_value_t = SimulationOptions::default().reserve_days)]
    reserve_days: f64,
    /// Days from the national decision to the county's transshipment point.
    #[arg(long, default_value_t = SimulationOptions::default().national_lead_days)]
    national_lead_days: u32,
    /// Days from the transshipment point to the site.
    #[arg(long, default_value_t = SimulationOptions::default().last_mile_lead_days)]
    last_mile_lead_days: u32,
    /// Turn county redistribution at the meetings off (simulate only).
    #[arg(long)]
    no_redistribution: bool,
    /// Days of the scenario's base consumption held nationally (synthetic default warehouses).
    #[arg(long, default_value_t = SimulationOptions::default().national_stock_days)]
    national_stock_days: f64,
    /// Days of base consumption each site receives weekly through its normal channel (synthetic).
    #[arg(long, default_value_t = SimulationOptions::default().weekly_supply_days)]
    weekly_supply_days: f64,
    /// Peak extra consumption of the epidemic wave (1 = doubles; 0 = flat).
    #[arg(long, default_value_t = Wave::default().amplitude)]
    wave_amplitude: f64,
    #[command(flatten)]
    rounds: lookahead_cli::RoundArgs,
}

impl SimArgs {
    fn options(&self, policy: Policy) -> Result<SimulationOptions, Error> {
        let names: Vec<&str> = self
            .meeting_days
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .collect();
        if names.is_empty() {
            return Err(Error::invalid(
                "--meeting-days",
                format!(
                    "expected at least one weekday name (mon..sun, comma-separated), got '{}'",
                    self.meeting_days
                ),
            ));
        }
        let meeting_weekdays = weekday_numbers(&names, "--meeting-days")?;
        let mut options = SimulationOptions {
            weeks: self.weeks,
            meeting_weekdays,
            acute_window_hours: self.acute_window_hours,
            reserve_days: self.reserve_days,
            policy,
            national_lead_days: self.national_lead_days,
            last_mile_lead_days: self.last_mile_lead_days,
            county_redistribution: !self.no_redistribution,
            national_stock_days: self.national_stock_days,
            weekly_supply_days: self.weekly_supply_days,
            wave: Wave {
                amplitude: self.wave_amplitude,
                ..Wave::default()
            },
            ..SimulationOptions::default()
        };
        self.rounds.apply(&mut options)?;
        options.check().map_err(as_flags)?;
        Ok(options)
    }
}

/// The simulation options set by [`SimArgs`]: (field, flag).
const OPTION_FLAGS: [(&str, &str); 9] = [
    ("weeks", "--weeks"),
    ("meeting_weekdays", "--meeting-days"),
    ("acute_window_hours", "--acute-window-hours"),
    ("reserve_days", "--reserve-days"),
    ("national_lead_days", "--national-lead-days"),
    ("last_mile_lead_days", "--last-mile-lead-days"),
    ("national_stock_days", "--national-stock-days"),
    ("weekly_supply_days", "--weekly-supply-days"),
    ("wave.amplitude", "--wave-amplitude"),
];

/// An error of the simulation options with each option named by its command-line
/// flag (`acute_window_hours` → `--acute-window-hours`); other places stay.
fn as_flags(error: Error) -> Error {
    match error {
        Error::Invalid(values) => Error::Invalid(
            values
                .into_iter()
                .map(|v| match OPTION_FLAGS.iter().find(|(field, _)| *field == v.path) {
                    Some((_, flag)) => allocnet::InvalidValue::new(*flag, v.message),
                    None => v,
                })
                .collect(),
        ),
        other => other,
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// A readable report.
    Table,
    /// The full plan as JSON.
    Json,
}

#[derive(Subcommand)]
enum FamilyArg {
    /// Bipartite sources -> sinks (complete unless --arcs is given).
    Transportation {
        /// Number of sources.
        #[arg(long, default_value_t = TransportationParams::default().sources)]
        sources: usize,
        /// Number of sinks.
        #[arg(long, default_value_t = TransportationParams::default().sinks)]
        sinks: usize,
        /// Number of arcs (at least sources + sinks - 1); default: one per (source, sink) pair.
        #[arg(long)]
        arcs: Option<usize>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Sparse random graph with a feasible backbone of short source -> sink paths.
    Transshipment {
        /// Number of nodes.
        #[arg(long, default_value_t = TransshipmentParams::default().nodes)]
        nodes: usize,
        /// Number of arcs.
        #[arg(long, default_value_t = TransshipmentParams::default().arcs)]
        arcs: usize,
        /// Number of sources.
        #[arg(long, default_value_t = TransshipmentParams::default().sources)]
        sources: usize,
        /// Number of sinks.
        #[arg(long, default_value_t = TransshipmentParams::default().sinks)]
        sinks: usize,
        /// Transshipment nodes on each backbone path.
        #[arg(long, default_value_t = TransshipmentParams::default().backbone_hops)]
        backbone_hops: usize,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// NETGEN-like: skeleton chains from the sources to the sinks plus random arcs.
    Netgen {
        /// Number of nodes.
        #[arg(long, default_value_t = NetgenParams::default().nodes)]
        nodes: usize,
        /// Number of arcs.
        #[arg(long, default_value_t = NetgenParams::default().arcs)]
        arcs: usize,
        /// Number of sources (transshipment sources included).
        #[arg(long, default_value_t = NetgenParams::default().sources)]
        sources: usize,
        /// Number of sinks (transshipment sinks included).
        #[arg(long, default_value_t = NetgenParams::default().sinks)]
        sinks: usize,
        /// Sources that may also receive flow.
        #[arg(long, default_value_t = NetgenParams::default().transshipment_sources)]
        transshipment_sources: usize,
        /// Sinks that may also send flow.
        #[arg(long, default_value_t = NetgenParams::default().transshipment_sinks)]
        transshipment_sinks: usize,
        /// Percentage of skeleton arcs at the maximum cost.
        #[arg(long, default_value_t = NetgenParams::default().high_cost_percent)]
        high_cost_percent: u32,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// The classic NETGEN generator (Klingman, Napier & Stutz 1974), the same network
    /// as the published C version for the same seed and parameters.
    NetgenClassic(NetgenClassicArgs),
    /// GRIDGEN-like: a grid with arcs to the grid neighbours and random extra arcs.
    Gridgen(GridArgs),
    /// GOTO-like: a grid on a torus with short random arcs, one source and one sink.
    Goto(GridArgs),
}

/// Options of the grid families (defaults: `GridParams::default()`).
#[derive(Args)]
struct GridArgs {
    /// Seed of the random numbers.
    #[arg(long)]
    seed: u64,
    /// Output file (DIMACS).
    #[arg(short, long)]
    output: PathBuf,
    /// Grid rows.
    #[arg(long, default_value_t = generate::GridParams::default().rows)]
    rows: usize,
    /// Grid columns.
    #[arg(long, default_value_t = generate::GridParams::default().cols)]
    cols: usize,
    /// Random arcs per node besides the grid arcs.
    #[arg(long, default_value_t = generate::GridParams::default().extra_arcs_per_node)]
    extra_arcs_per_node: usize,
    /// Supply nodes (gridgen only).
    #[arg(long, default_value_t = generate::GridParams::default().sources)]
    sources: usize,
    /// Demand nodes (gridgen only).
    #[arg(long, default_value_t = generate::GridParams::default().sinks)]
    sinks: usize,
    /// Largest cost (smallest: 1).
    #[arg(long, default_value_t = generate::GridParams::default().max_cost)]
    max_cost: i64,
}

/// `allocnet generate gridgen|goto`: a grid instance as DIMACS.
fn run_generate_grid(a: GridArgs, torus: bool) -> Result<(), Error> {
    let params = generate::GridParams {
        rows: a.rows,
        cols: a.cols,
        extra_arcs_per_node: a.extra_arcs_per_node,
        sources: a.sources,
        sinks: a.sinks,
        max_cost: a.max_cost,
        ..generate::GridParams::default()
    };
    let network = if torus {
        generate::goto_like(&params, a.seed)?
    } else {
        generate::gridgen_like(&params, a.seed)?
    };
    let header = format!(
        "generated by allocnet {} (flow::generate::{}), seed {}:\n{params:?}",
        env!("CARGO_PKG_VERSION"),
        if torus { "goto_like" } else { "gridgen_like" },
        a.seed
    );
    write_dimacs_file(&network, &a.output, &[&header])
}

/// The 13 NETGEN parameters (its defaults: `ClassicNetgenParams::sparse(--nodes)`).
#[derive(Args)]
struct NetgenClassicArgs {
    /// NETGEN's seed (1..2147483647).
    #[arg(long)]
    seed: i64,
    /// Output file (DIMACS).
    #[arg(short, long)]
    output: PathBuf,
    /// Number of nodes.
    #[arg(long)]
    nodes: i64,
    /// Number of arcs (default 8 per node).
    #[arg(long)]
    arcs: Option<i64>,
    /// Sources (default √nodes).
    #[arg(long)]
    sources: Option<i64>,
    /// Sinks (default √nodes).
    #[arg(long)]
    sinks: Option<i64>,
    /// Smallest cost (default 1).
    #[arg(long)]
    min_cost: Option<i64>,
    /// Largest cost (default 10000).
    #[arg(long)]
    max_cost: Option<i64>,
    /// Total supply (default 1000 · √nodes).
    #[arg(long)]
    supply: Option<i64>,
    /// Transshipment sources (default 0).
    #[arg(long)]
    transshipment_sources: Option<i64>,
    /// Transshipment sinks (default 0).
    #[arg(long)]
    transshipment_sinks: Option<i64>,
    /// Percentage of skeleton arcs at the maximum cost (default 30).
    #[arg(long)]
    high_cost_percent: Option<i64>,
    /// Percentage of capacitated arcs (default 100).
    #[arg(long)]
    capacitated_percent: Option<i64>,
    /// Smallest capacity (default 1).
    #[arg(long)]
    min_capacity: Option<i64>,
    /// Largest capacity (default 1000).
    #[arg(long)]
    max_capacity: Option<i64>,
}

/// `allocnet generate netgen-classic`: NETGEN's network as DIMACS.
fn run_generate_classic(a: NetgenClassicArgs) -> Result<(), Error> {
    let d = generate::ClassicNetgenParams::sparse(a.nodes);
    let params = generate::ClassicNetgenParams {
        nodes: a.nodes,
        arcs: a.arcs.unwrap_or(d.arcs),
        sources: a.sources.unwrap_or(d.sources),
        sinks: a.sinks.unwrap_or(d.sinks),
        min_cost: a.min_cost.unwrap_or(d.min_cost),
        max_cost: a.max_cost.unwrap_or(d.max_cost),
        supply: a.supply.unwrap_or(d.supply),
        transshipment_sources: a.transshipment_sources.unwrap_or(d.transshipment_sources),
        transshipment_sinks: a.transshipment_sinks.unwrap_or(d.transshipment_sinks),
        high_cost_percent: a.high_cost_percent.unwrap_or(d.high_cost_percent),
        capacitated_percent: a.capacitated_percent.unwrap_or(d.capacitated_percent),
        min_capacity: a.min_capacity.unwrap_or(d.min_capacity),
        max_capacity: a.max_capacity.unwrap_or(d.max_capacity),
    };
    let network = generate::netgen_classic(&params, a.seed)?;
    let header = format!(
        "generated by allocnet {} (flow::generate::netgen_classic), seed {}:\n{params:?}",
        env!("CARGO_PKG_VERSION"),
        a.seed
    );
    write_dimacs_file(&network, &a.output, &[&header])
}

/// Options shared by all families (the same defaults in every family).
#[derive(Args)]
struct CommonArgs {
    /// Seed of the random numbers.
    #[arg(long)]
    seed: u64,
    /// Output file (DIMACS).
    #[arg(short, long)]
    output: PathBuf,
    /// Smallest unit cost.
    #[arg(long, default_value_t = CommonParams::default().min_cost, allow_negative_numbers = true)]
    min_cost: i64,
    /// Largest unit cost.
    #[arg(long, default_value_t = CommonParams::default().max_cost, allow_negative_numbers = true)]
    max_cost: i64,
    /// Total supply (= total demand).
    #[arg(long, default_value_t = CommonParams::default().total_supply)]
    total_supply: i64,
    /// Percentage of arcs with a capacity from --min-capacity..=--max-capacity (others: total supply).
    #[arg(long, default_value_t = CommonParams::default().capacitated_percent)]
    capacitated_percent: u32,
    /// Smallest capacity of a capacitated arc.
    #[arg(long, default_value_t = CommonParams::default().min_capacity)]
    min_capacity: i64,
    /// Largest capacity of a capacitated arc.
    #[arg(long, default_value_t = CommonParams::default().max_capacity)]
    max_capacity: i64,
}

impl CommonArgs {
    /// The generator's shared parameters from the flags.
    fn params(&self) -> CommonParams {
        CommonParams {
            min_cost: self.min_cost,
            max_cost: self.max_cost,
            total_supply: self.total_supply,
            capacitated_percent: self.capacitated_percent,
            min_capacity: self.min_capacity,
            max_capacity: self.max_capacity,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(bytes) = cli.memory_limit {
        allocnet::limits::set_memory_limit(bytes);
    }
    let result = match cli.command {
        Command::Flow { file, engine, flows } => run_flow(&file, engine, flows),
        Command::Generate { family } => run_generate(family),
        Command::Demo { trips: false } => run_demo(),
        Command::Demo { trips: true } => run_trips_demo(),
        Command::CountyRound {
            scenario,
            format,
            out,
            engine,
            audit,
            lookahead,
            trips,
        } => match (lookahead.options(), trips.requested()) {
            (Err(e), _) => Err(e),
            (Ok(Some(_)), true) => Err(Error::invalid(
                "--lookahead",
                "the lookahead round does not plan packs and trips; leave out --lookahead or --trips/--logistics",
            )),
            (Ok(Some(options)), false) => {
                run_lookahead_round(&scenario, &options, format, out.as_deref(), engine, audit.as_deref())
            }
            (Ok(None), true) if audit.is_some() => Err(Error::invalid(
                "--audit",
                "the audit log records plans without trips; leave out --trips/--logistics or --audit",
            )),
            (Ok(None), true) => run_trips(&scenario, &trips, format, out.as_deref(), engine),
            (Ok(None), false) => run_county_round(&scenario, format, out.as_deref(), engine, audit.as_deref()),
        },
        Command::Simulate {
            scenario,
            sim,
            policy,
            format,
            audit,
        } => run_simulate(&scenario, &sim, policy, format, audit.as_deref()),
        Command::ComparePolicies { scenario, sim } => run_compare(&scenario, &sim),
        Command::Replay { log } => run_replay(&log),
        Command::Schema { markdown: _, results } => run_schema(&results),
        Command::Testing {
            scenario,
            out,
            lang,
            write_scenario,
        } => run_testing(&scenario, out.as_deref(), &lang, write_scenario.as_deref()),
        Command::Sweep(args) => match sweep_cmd::run_sweep(&args) {
            Ok(true) => return ExitCode::from(130),
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// 2 for bad input (the user can fix it), 1 when the solver fails, 130 when cancelled
/// (as for Ctrl-C).
fn exit_code(error: &Error) -> u8 {
    match error {
        Error::Solver(_) | Error::Internal(_) => 1,
        Error::Cancelled(_) => 130,
        _ => 2,
    }
}

/// The JSON object `allocnet flow` prints.
#[derive(serde::Serialize)]
struct FlowReport<'a> {
    status: Status,
    cost: Option<i128>,
    nodes: usize,
    arcs: usize,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    flows: Option<&'a [i64]>,
}

fn run_flow(file: &Path, engine: Engine, with_flows: bool) -> Result<(), Error> {
    let network = read_dimacs_file(file)?;
    let (nodes, arcs) = (network.node_count(), network.arc_count());
    let start = Instant::now();
    // Hand the arrays over to the solver: no second copy of a large network. Arcs and
    // nodes in errors as written in the file (1-based, with their line).
    let solution = solve_owned(network, engine).map_err(|e| locate_error(e, file))?;
    let seconds = start.elapsed().as_secs_f64();
    let report = FlowReport {
        status: solution.status,
        cost: solution.cost,
        nodes,
        arcs,
        seconds,
        flows: with_flows.then_some(solution.flows.as_slice()),
    };
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(stdout);
    let written = serde_json::to_writer(&mut out, &report)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    written.map_err(|source| Error::Io {
        path: "stdout".into(),
        source,
    })
}

fn run_generate(family: FamilyArg) -> Result<(), Error> {
    let (family, common) = match family {
        FamilyArg::NetgenClassic(args) => return run_generate_classic(args),
        FamilyArg::Gridgen(args) => return run_generate_grid(args, false),
        FamilyArg::Goto(args) => return run_generate_grid(args, true),
        FamilyArg::Transportation {
            common,
            sources,
            sinks,
            arcs,
        } => {
            let params = TransportationParams {
                sources,
                sinks,
                arcs,
                common: common.params(),
            };
            (Family::Transportation(params), common)
        }
        FamilyArg::Transshipment {
            common,
            nodes,
            arcs,
            sources,
            sinks,
            backbone_hops,
        } => {
            let params = TransshipmentParams {
                nodes,
                arcs,
                sources,
                sinks,
                backbone_hops,
                common: common.params(),
            };
            (Family::Transshipment(params), common)
        }
        FamilyArg::Netgen {
            common,
            nodes,
            arcs,
            sources,
            sinks,
            transshipment_sources,
            transshipment_sinks,
            high_cost_percent,
        } => {
            let params = NetgenParams {
                nodes,
                sources,
                sinks,
                arcs,
                transshipment_sources,
                transshipment_sinks,
                high_cost_percent,
                common: common.params(),
            };
            (Family::Netgen(params), common)
        }
    };
    let network = generate::generate(&family, common.seed)?;
    let header = format!(
        "generated by allocnet {} (flow::generate), seed {}:\n{family:?}",
        env!("CARGO_PKG_VERSION"),
        common.seed
    );
    write_dimacs_file(&network, &common.output, &[&header])
}

fn run_demo() -> Result<(), Error> {
    let scenario = allocnet::model::synthetic::vastmanland_default()?;
    let plan = run_county_round_lib(&scenario, &RoundOptions::default())?;
    let mut text = county_round_text(&scenario, &plan);
    text.push_str(TRIPS_DEMO_HINT);
    print_text(&text)
}

/// The last lines of `allocnet demo`: where the same meeting is planned as trips.
const TRIPS_DEMO_HINT: &str = "\nThe same meeting in whole packs on a van's trips, with minimum loads and \
substitutes (SYNTHETIC logistics data): allocnet demo --trips\n";

/// `county-round --lookahead DAYS` (an audit log records one-round plans only).
fn run_lookahead_round(
    path: &Path,
    options: &allocnet::lookahead::LookaheadOptions,
    format: FormatArg,
    out: Option<&Path>,
    engine: Engine,
    audit: Option<&Path>,
) -> Result<(), Error> {
    if audit.is_some() {
        return Err(Error::invalid(
            "--audit",
            "the audit log records one-round plans; leave out --lookahead or --audit",
        ));
    }
    let scenario = Scenario::load(path)?;
    let text = lookahead_cli::run(&scenario, options, engine, matches!(format, FormatArg::Json), out)?;
    print_text(&text)
}

/// Logistics options of `county-round` (issue 16).
#[derive(Args)]
struct TripsArgs {
    /// Plan with whole packs, trips, minimum loads and substitutes from this logistics
    /// JSON file (see docs/trips.md).
    #[arg(long, group = "logistics_source", conflicts_with = "trips")]
    logistics: Option<PathBuf>,
    /// Plan with the built-in SYNTHETIC logistics data (Västmanland's items).
    #[arg(long, group = "logistics_source")]
    trips: bool,
    /// Time limit of each objective level's MIP solve, seconds: a safety net besides the
    /// deterministic node limit (a level stopped by either is reported with its gap).
    /// Only with --trips or --logistics.
    #[arg(long, requires = "logistics_source", default_value_t = allocnet::trips::MipOptions::default().time_limit_s)]
    time_limit: f64,
    /// Most branch-and-bound nodes per objective level's MIP solve, at least 1: a
    /// deterministic limit (the same plan on every machine). Only with --trips or
    /// --logistics.
    #[arg(long, requires = "logistics_source", default_value_t = allocnet::trips::MipOptions::default().max_nodes)]
    max_nodes: i32,
    /// Most LP work (LP iterations x the model's columns) per MIP solve of the trips,
    /// vehicle km and transport levels, at least 1: a deterministic limit. Only with
    /// --trips or --logistics.
    #[arg(long, requires = "logistics_source", default_value_t = allocnet::trips::MAX_LP_WORK)]
    max_lp_work: i64,
}

impl TripsArgs {
    /// The MIP options given, checked and named as the options are spelled.
    fn mip(&self) -> Result<allocnet::trips::MipOptions, Error> {
        let mip = allocnet::trips::MipOptions {
            time_limit_s: self.time_limit,
            max_nodes: self.max_nodes,
            max_lp_work: self.max_lp_work,
            ..Default::default()
        };
        mip.validate_named(["--time-limit", "--max-nodes", "--max-lp-work"])?;
        Ok(mip)
    }

    fn requested(&self) -> bool {
        self.trips || self.logistics.is_some()
    }
}

fn run_trips_demo() -> Result<(), Error> {
    let scenario = allocnet::model::synthetic::vastmanland_default()?;
    let options = allocnet::trips::TripsOptions::default();
    print_text(&allocnet::trips::trips_command(&scenario, None, &options, false, None)?)
}

fn run_trips(
    path: &Path,
    args: &TripsArgs,
    format: FormatArg,
    out: Option<&Path>,
    engine: Engine,
) -> Result<(), Error> {
    let scenario = Scenario::load(path)?;
    let json = matches!(format, FormatArg::Json);
    let options = allocnet::trips::TripsOptions {
        round: RoundOptions {
            engine,
            ..RoundOptions::default()
        },
        mip: args.mip()?,
    };
    let logistics = match &args.logistics {
        Some(file) => allocnet::trips::load_logistics(file)?,
        None => allocnet::trips::builtin_logistics(),
    };
    // A progress bar over the parts (counties) solved, on stderr when it is a terminal.
    let parts = allocnet::trips::trips_round_parts(&scenario, &logistics)?;
    let bar = sweep_cmd::progress_bar(parts as u64, "parts", false);
    let never = std::sync::atomic::AtomicBool::new(false);
    let text = allocnet::trips::trips_command_with(
        &scenario,
        &logistics,
        &options,
        json,
        out,
        &|n| bar.inc(n as u64),
        &never,
    );
    bar.finish_and_clear();
    print_text(&text?)
}

fn run_county_round(
    path: &Path,
    format: FormatArg,
    out: Option<&Path>,
    engine: Engine,
    audit: Option<&Path>,
) -> Result<(), Error> {
    let scenario = Scenario::load(path)?;
    let options = RoundOptions {
        engine,
        ..RoundOptions::default()
    };
    let plan = run_county_round_lib(&scenario, &options)?;
    if let Some(log) = audit {
        let mut log = AuditLog::append_to(log)?;
        log.county(None, &scenario, &options, &plan)?;
        log.flush()?;
    }
    if let Some(dir) = out {
        write_plan_dir(&plan, dir)?;
    }
    match format {
        FormatArg::Table => print_text(&county_round_text(&scenario, &plan)),
        FormatArg::Json => print_text(&(plan_json(&plan)? + "\n")),
    }
}

fn run_simulate(
    spec: &str,
    args: &SimArgs,
    policy: Policy,
    format: FormatArg,
    audit: Option<&Path>,
) -> Result<(), Error> {
    if args.rounds.modes()?.len() > 1 {
        return Err(Error::invalid(
            "--round",
            "simulate runs one round mode: myopic or lookahead",
        ));
    }
    let scenario = scenario_by_name(spec)?;
    let options = args.options(policy)?;
    // A progress bar over the days (on stderr when it is a terminal).
    let bar = sweep_cmd::progress_bar(u64::from(options.weeks) * 7, "days", false);
    let tick = |r: &allocnet::process::simulate::RoundRecord<'_>| {
        use allocnet::process::simulate::RoundRecord::{County, National};
        let (County { day, .. } | National { day, .. }) = r;
        bar.set_position(u64::from(*day) + 1);
    };
    let sim = match audit {
        Some(path) => {
            let mut log = AuditLog::append_to(path)?;
            let sim = simulate(&scenario, &options, &mut |r| {
                tick(&r);
                log.record(r)
            })
            .map_err(as_flags)?;
            log.flush()?;
            sim
        }
        None => simulate(&scenario, &options, &mut |r| {
            tick(&r);
            Ok(())
        })
        .map_err(as_flags)?,
    };
    bar.finish_and_clear();
    match format {
        FormatArg::Table => print_text(&simulation_text(&scenario.name, scenario.synthetic, &sim)),
        FormatArg::Json => {
            let text = serde_json::to_string(&sim).map_err(|e| Error::Internal(format!("serialising: {e}")))?;
            print_text(&(text + "\n"))
        }
    }
}

fn run_compare(spec: &str, args: &SimArgs) -> Result<(), Error> {
    let scenario = scenario_by_name(spec)?;
    let modes = args.rounds.modes()?;
    let runs = lookahead_cli::compare(&scenario, &args.options(Policy::Optimal)?, &modes).map_err(as_flags)?;
    let mut text = format!("Policy comparison: {}, {} week(s)\n", scenario.name, args.weeks);
    if scenario.synthetic {
        text.push_str("NOTE: SYNTHETIC stock and consumption figures.\n");
    }
    text.push_str(&comparison_text(&runs));
    print_text(&text)
}

fn run_replay(path: &Path) -> Result<(), Error> {
    let text = allocnet::limits::read_text_file(path)?;
    let lines = replay(&text, &path.display().to_string())?;
    print_text(&replay_text(&lines))?;
    if lines.iter().all(|l| l.outcome == ReplayOutcome::Reproduced) {
        Ok(())
    } else {
        Err(Error::invalid(
            path.display().to_string(),
            "some rounds were not reproduced",
        ))
    }
}

fn run_testing(spec: &str, out: Option<&Path>, lang: &str, write_scenario: Option<&Path>) -> Result<(), Error> {
    use allocnet::test_capacity::guidance::Lang;
    use allocnet::test_capacity::{output::write_testing_dir_in, plan_testing, report::testing_text};
    let lang = Lang::parse(lang, "--lang")?;
    let scenario = allocnet::model::builtin::testing_scenario_by_name(spec)?;
    if let Some(path) = write_scenario {
        std::fs::write(path, scenario.to_json_string()? + "\n").map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    // The plan is one LP solve with no steps to count: a spinner with the time taken.
    let spinner = sweep_cmd::spinner("planning the week's testing", false);
    let plan = plan_testing(&scenario);
    spinner.finish_and_clear();
    let plan = plan?;
    if let Some(dir) = out {
        write_testing_dir_in(&scenario, &plan, dir, lang)?;
    }
    print_text(&testing_text(&scenario, &plan))
}

fn run_schema(results: &[String]) -> Result<(), Error> {
    if results.is_empty() {
        print_text(&allocnet::tables::markdown_all())
    } else {
        print_text(&allocnet::tables::markdown_of(results)?)
    }
}

fn print_text(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| Error::Io {
            path: "stdout".into(),
            source,
        })
}
