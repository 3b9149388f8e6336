// Named benchmark datasets: formats and streaming readers (pure), import and management (database).
export { DATASET_FORMATS, chosenFirst, humanLabelled, judgebenchCategory, mapRecord, RecordError, type DatasetItemInput } from "./formats";
export { FileError, readJson, readJsonl, readParquet, type RawRecord } from "./readers";
export { importDataset, type ImportDatasetParams, type ImportSummary } from "./import";
export { deleteDataset, getDatasetItem, listDatasetItems, listDatasets, requireDataset } from "./service";
