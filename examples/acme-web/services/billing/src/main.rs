use std::time::Duration;

async fn charge(amount: u64) -> Result<(), reqwest::Error> {
    let client = reqwest::Client::new();
    client.post("https://payments.internal/charge").json(&amount).send().await?;
    Ok(())
}

async fn refund(amount: u64) -> Result<(), reqwest::Error> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
    client.post("https://payments.internal/refund").json(&amount).send().await?;
    Ok(())
}
