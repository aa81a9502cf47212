// IndexedDB for Node: the same idb code the app runs, on fake-indexeddb.
import 'fake-indexeddb/auto';
