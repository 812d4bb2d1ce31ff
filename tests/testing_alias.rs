//! `allocnet::testing`, the former name of `allocnet::test_capacity`, still works
//! (deprecated), so code written against it (the Python bindings) compiles unchanged.
#![allow(deprecated)]

#[test]
fn the_former_module_path_still_works() {
    let s = allocnet::testing::synthetic::vastmanland_testing().unwrap();
    let plan = allocnet::testing::plan_testing(&s).unwrap();
    let rows = allocnet::testing::guidance::guidance_rows(&s, &plan);
    assert!(!rows.is_empty());
    let files = allocnet::testing::output::testing_files(&s, &plan).unwrap();
    assert!(files.iter().any(|(name, _)| *name == "guidance.html"));
}
