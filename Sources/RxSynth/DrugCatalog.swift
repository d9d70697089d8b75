/// The value-set file a drug belongs to; packs read these files to find target drugs.
public enum DrugValueSet: String, Sendable, CaseIterable {
    case statins
    case rasa
    case diabetes
    case insulin
    case sacubitrilValsartan = "sacubitril_valsartan"
    case pcsk9
    case oncology

    /// The file name under `valuesets/`.
    public var fileName: String { rawValue + ".csv" }
}

/// How the plan shares the cost of a fill: sets the patient's pay.
enum CostTier: Sendable {
    case generic, brand, specialty
}

/// One product of the synthetic catalogue.
///
/// The NDCs are example codes: well-formed 11-digit 5-4-2 numbers on labeler codes 99101-99199,
/// invented for this catalogue. Ingredient names and classes are real so rules read naturally.
public struct Drug: Sendable, Hashable {
    /// 11-digit NDC, no dashes.
    public let ndc: String
    /// Lower-case ingredient names joined by `/` for combination products.
    public let ingredient: String
    /// Therapeutic class in words (`statin`, `ARB combination`, ...).
    public let drugClass: String
    /// Product description: ingredient, strength and form.
    public let description: String
    /// The value-set file listing this drug.
    public let valueSet: DrugValueSet
    /// Days one package lasts; a fill is a whole number of packages.
    let packageDays: Int
    /// Quantity in one package, in tenths of a unit (tablets, mL, syringes).
    let packageQuantityTenths: Int
    /// What one package costs before cost sharing, in cents.
    let packageCostCents: Int
    let tier: CostTier
    /// Whether the product combines several ingredients (its ingredient names contain `/`).
    public let isCombination: Bool
}

/// The synthetic NDC catalogue: a few products per class, including combinations and several
/// strengths of one ingredient (PDC treats those as the same drug).
public enum DrugCatalog {
    /// Every product, in value-set order.
    public static let all: [Drug] = [
        // Statins (PDC-STA targets).
        drug("99101012330", "atorvastatin", "statin", "atorvastatin 20 mg oral tablet", .statins, 1, 10, 22, .generic),
        drug("99101012430", "atorvastatin", "statin", "atorvastatin 40 mg oral tablet", .statins, 1, 10, 28, .generic),
        drug("99101022130", "rosuvastatin", "statin", "rosuvastatin 10 mg oral tablet", .statins, 1, 10, 30, .generic),
        drug("99101031130", "simvastatin", "statin", "simvastatin 40 mg oral tablet", .statins, 1, 10, 15, .generic),
        drug("99101041230", "pravastatin", "statin", "pravastatin 40 mg oral tablet", .statins, 1, 10, 24, .generic),
        drug("99102051130", "ezetimibe/simvastatin", "statin combination",
             "ezetimibe 10 mg and simvastatin 40 mg oral tablet", .statins, 1, 10, 95, .brand),
        // RAS antagonists (PDC-RASA targets).
        drug("99111010190", "lisinopril", "ACE inhibitor", "lisinopril 10 mg oral tablet", .rasa, 1, 10, 12, .generic),
        drug("99111010290", "lisinopril", "ACE inhibitor", "lisinopril 20 mg oral tablet", .rasa, 1, 10, 15, .generic),
        drug("99111020190", "losartan", "ARB", "losartan 50 mg oral tablet", .rasa, 1, 10, 20, .generic),
        drug("99111030190", "valsartan", "ARB", "valsartan 160 mg oral tablet", .rasa, 1, 10, 40, .generic),
        drug("99111040190", "olmesartan", "ARB", "olmesartan 20 mg oral tablet", .rasa, 1, 10, 45, .generic),
        drug("99112050190", "hydrochlorothiazide/lisinopril", "ACE inhibitor combination",
             "lisinopril 20 mg and hydrochlorothiazide 12.5 mg oral tablet", .rasa, 1, 10, 20, .generic),
        drug("99112060190", "amlodipine/benazepril", "ACE inhibitor combination",
             "amlodipine 5 mg and benazepril 20 mg oral capsule", .rasa, 1, 10, 35, .generic),
        drug("99113070190", "aliskiren", "direct renin inhibitor", "aliskiren 150 mg oral tablet",
             .rasa, 1, 10, 290, .brand),
        // Sacubitril/valsartan: contains an ARB but excludes a member from PDC-RASA.
        drug("99121010160", "sacubitril/valsartan", "ARNI", "sacubitril 49 mg and valsartan 51 mg oral tablet",
             .sacubitrilValsartan, 1, 20, 1_050, .brand),
        // Non-insulin diabetes drugs (PDC-DR targets), GLP-1 receptor agonists included.
        drug("99131010160", "metformin", "biguanide", "metformin 500 mg oral tablet", .diabetes, 1, 20, 10, .generic),
        drug("99131010260", "metformin", "biguanide", "metformin 1000 mg extended-release oral tablet",
             .diabetes, 1, 10, 30, .generic),
        drug("99131020160", "glipizide", "sulfonylurea", "glipizide 5 mg oral tablet", .diabetes, 1, 10, 12, .generic),
        drug("99131030160", "pioglitazone", "thiazolidinedione", "pioglitazone 30 mg oral tablet",
             .diabetes, 1, 10, 25, .generic),
        drug("99131040160", "sitagliptin", "DPP-4 inhibitor", "sitagliptin 100 mg oral tablet",
             .diabetes, 1, 10, 1_750, .brand),
        drug("99132050160", "metformin/sitagliptin", "DPP-4 inhibitor combination",
             "sitagliptin 50 mg and metformin 1000 mg oral tablet", .diabetes, 1, 20, 880, .brand),
        drug("99131060160", "empagliflozin", "SGLT2 inhibitor", "empagliflozin 10 mg oral tablet",
             .diabetes, 1, 10, 1_900, .brand),
        drug("99133070103", "semaglutide", "GLP-1 receptor agonist",
             "semaglutide 2 mg/3 mL pen injector", .diabetes, 28, 30, 93_500, .brand),
        drug("99133080104", "dulaglutide", "GLP-1 receptor agonist",
             "dulaglutide 1.5 mg/0.5 mL pen injector pack of 4", .diabetes, 28, 20, 97_800, .brand),
        // Insulins (exclude a member from PDC-DR).
        drug("99141010115", "insulin glargine", "insulin", "insulin glargine 100 units/mL pen injectors 5 x 3 mL",
             .insulin, 30, 150, 42_000, .brand),
        drug("99141020110", "insulin lispro", "insulin", "insulin lispro 100 units/mL 10 mL vial",
             .insulin, 30, 100, 27_500, .brand),
        // PCSK9 inhibitor, a common subject of outcome-based contracts.
        drug("99151010102", "evolocumab", "PCSK9 inhibitor", "evolocumab 140 mg/mL prefilled autoinjector pack of 2",
             .pcsk9, 28, 20, 52_000, .specialty),
        // Oncology, one cycle every 21 days.
        drug("99161010184", "capecitabine", "antineoplastic", "capecitabine 500 mg oral tablet",
             .oncology, 21, 840, 310_000, .specialty),
        drug("99161020108", "pembrolizumab", "antineoplastic", "pembrolizumab 100 mg/4 mL vial for infusion",
             .oncology, 21, 80, 1_060_000, .specialty),
    ]

    /// The products of one value set, in catalogue order.
    public static func drugs(in valueSet: DrugValueSet) -> [Drug] { all.filter { $0.valueSet == valueSet } }

    /// The product with this NDC, if it is in the catalogue.
    public static func drug(ndc: String) -> Drug? { all.first { $0.ndc == ndc } }

    /// The value-set CSV of one set: header `code,ingredient,class,description`, one row a product.
    public static func valueSetCSV(_ valueSet: DrugValueSet) -> String {
        var text = "code,ingredient,class,description\n"
        for drug in drugs(in: valueSet) {
            text += "\(drug.ndc),\(drug.ingredient),\(drug.drugClass),\(drug.description) (example code)\n"
        }
        return text
    }

    private static func drug(
        _ ndc: String, _ ingredient: String, _ drugClass: String, _ description: String,
        _ valueSet: DrugValueSet, _ packageDays: Int, _ packageQuantityTenths: Int, _ packageCostCents: Int,
        _ tier: CostTier
    ) -> Drug {
        Drug(ndc: ndc, ingredient: ingredient, drugClass: drugClass, description: description, valueSet: valueSet,
             packageDays: packageDays, packageQuantityTenths: packageQuantityTenths,
             packageCostCents: packageCostCents, tier: tier, isCombination: ingredient.contains("/"))
    }

    /// Catalogue indices used by the simulator, looked up once by NDC.
    static func index(_ ndc: String) -> Int { all.firstIndex { $0.ndc == ndc } ?? 0 }
}
