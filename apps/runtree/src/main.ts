console.log('runtree: service not built yet');
