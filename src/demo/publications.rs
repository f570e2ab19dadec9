//! Published adviezen in the demo (issue 9): for the demo cases whose advies was sent, a
//! publication in every state. The closed cases are published on `/uitspraken`; of the cases
//! whose advies was sent but not yet decided on, one waits as a concept for the secretary's
//! review and one was published and withdrawn. Everything goes through the use cases, so the
//! texts are the automatic proposals (checked for the case's names) with the overwegingen a
//! secretary would add.

use crate::audit::WriteTx;
use crate::domain::case::{CaseStatus, Outcome};
use crate::entities::case;
use crate::publications::{self, Fields};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The overwegingen the secretary writes (the demo adviezen hold only the judgment in C).
fn reasons(outcome: Option<Outcome>) -> &'static str {
    match outcome {
        Some(Outcome::Gegrond) => {
            "Uit de stukken en het verhandelde ter zitting blijkt dat de school de afspraken uit het eigen protocol niet heeft nagekomen. Klager heeft de school meermaals op de situatie gewezen; een gesprek met alle betrokkenen bleef uit.\n\nVan een school mag worden verwacht dat zij een melding serieus onderzoekt, de ouders tijdig informeert en de afgesproken maatregelen uitvoert. Dat is hier onvoldoende gebeurd."
        }
        Some(Outcome::GedeeltelijkGegrond) => {
            "De commissie stelt vast dat de afgesproken ondersteuning gedurende enkele maanden niet is gegeven, omdat de begeleider afwezig was en geen vervanging werd geregeld. Dat komt voor rekening van het bevoegd gezag.\n\nDat de school de ouders niet zou hebben betrokken bij het bijstellen van het plan, is niet gebleken: de verslagen van de gesprekken laten zien dat klager is uitgenodigd en heeft ingestemd."
        }
        _ => {
            "De commissie is van oordeel dat de school binnen de grenzen van een redelijke afweging heeft gehandeld. Uit de stukken blijkt dat de school de geldende regels heeft gevolgd, klager tijdig heeft geïnformeerd en een gesprek heeft aangeboden.\n\nDat klager de gang van zaken anders heeft ervaren, is begrijpelijk, maar maakt het handelen van de school niet onzorgvuldig."
        }
    }
}

pub async fn load(tx: &mut WriteTx) -> anyhow::Result<()> {
    let cases = case::Entity::find()
        .filter(case::Column::Status.is_in([CaseStatus::AdviesUitgebracht.code(), CaseStatus::Afgesloten.code()]))
        .order_by_asc(case::Column::Id)
        .all(tx.conn())
        .await?;
    let mut pending = 0;
    for c in cases {
        if publications::not_eligible(tx.conn(), &c).await?.is_some() {
            continue;
        }
        let proposal = publications::create(tx, &c).await.map_err(|e| anyhow::anyhow!("demo publication: {e}"))?;
        let mut f = Fields::of(&proposal);
        f.explanation = reasons(c.outcome.as_deref().and_then(Outcome::parse)).to_owned();
        let step = |r: Result<_, publications::PublicationError>| {
            r.map_err(|e| anyhow::anyhow!("demo publication {}: {e}", c.zaaknummer))
        };
        if c.status == CaseStatus::Afgesloten.code() {
            step(publications::publish(tx, &c, &f, None).await)?;
        } else if pending % 2 == 0 {
            pending += 1;
            // A draft as a secretary might leave it: a place of the case (publishing is refused
            // until it goes) and a name the case does not record (an attention point).
            let place = crate::entities::school::Entity::find_by_id(c.school_id)
                .one(tx.conn())
                .await?
                .map(|s| s.place)
                .unwrap_or_default();
            f.situation = format!(
                "{}\n\nDe ondersteuning was besproken in een overleg in {place} met het Expertisecentrum Oost.",
                f.situation
            );
            step(publications::save(tx, &c, &f).await)?;
        } else {
            pending += 1;
            step(publications::publish(tx, &c, &f, None).await)?;
            step(
                publications::withdraw(
                    tx,
                    &c,
                    "Op verzoek van het bevoegd gezag ingetrokken totdat het besluit op het advies is genomen.",
                )
                .await,
            )?;
        }
    }
    Ok(())
}
